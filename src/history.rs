//! main's history: one record per push to main (kept by the `bench-main`
//! workflow on the `bench-history` branch), a trend page with one chart per
//! benchmark, and a check for slow creep that no single pull request shows.
//!
//! Creep is judged by the comparator's own rule: the last `window` runs on
//! one side, the `window` runs that ended `lag` runs earlier on the other,
//! each run one round, and a change counts only when its whole interval
//! lies beyond the floor.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::compare::{self, Comparison, Rule, Verdict};
use crate::machine::Machine;
use crate::results::{format_time, Estimate, Interval, Measurement};
use crate::Error;

/// One run of the suite on main.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Record {
    pub commit: String,
    /// Seconds since the epoch when the record was made: the history's order.
    pub unix: u64,
    pub machine: Machine,
    /// Benchmark id → time per iteration of each Criterion sample, ns.
    pub benchmarks: BTreeMap<String, Vec<f64>>,
}

impl Record {
    /// A record of the Criterion baseline `baseline` under `criterion_dir`.
    pub fn from_baseline(criterion_dir: &Path, baseline: &str, commit: &str) -> Result<Self, Error> {
        let measurements = crate::results::read_baseline(criterion_dir, baseline)
            .map_err(|e| Error::Input { path: criterion_dir.to_owned(), problem: e.to_string() })?;
        let unix = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
        Ok(Record {
            commit: commit.to_owned(),
            unix,
            machine: Machine::current(),
            benchmarks: measurements.into_iter().map(|m| (m.id, m.per_iteration)).collect(),
        })
    }

    /// The file name a record is kept under: ordered by time, then commit.
    pub fn file_name(&self) -> String {
        format!("{:012}-{}.json", self.unix, &self.commit[..self.commit.len().min(12)])
    }
}

/// Every record in `dir`, oldest first.
pub fn load(dir: &Path) -> Result<Vec<Record>, Error> {
    let bad = |path: &Path, problem: String| Error::Input { path: path.to_owned(), problem };
    let entries = std::fs::read_dir(dir)
        .map_err(|e| bad(dir, format!("{e}; fetch the history first (`git fetch origin bench-history`)")))?;
    let mut records = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "json") {
            let text = std::fs::read(&path).map_err(|e| bad(&path, e.to_string()))?;
            let record: Record =
                serde_json::from_slice(&text).map_err(|e| bad(&path, format!("not a history record ({e})")))?;
            records.push(record);
        }
    }
    if records.is_empty() {
        return Err(bad(dir, "holds no history records (*.json)".to_owned()));
    }
    records.sort_by(|a, b| (a.unix, &a.commit).cmp(&(b.unix, &b.commit)));
    Ok(records)
}

fn as_measurements(record: &Record) -> Vec<Measurement> {
    let flat =
        |v: f64| Estimate { point_estimate: v, confidence_interval: Interval { lower_bound: v, upper_bound: v } };
    record
        .benchmarks
        .iter()
        .map(|(id, samples)| {
            let mean = samples.iter().sum::<f64>() / samples.len().max(1) as f64;
            Measurement {
                id: id.clone(),
                throughput: None,
                median: flat(mean),
                mean: flat(mean),
                per_iteration: samples.clone(),
            }
        })
        .collect()
}

/// The recent `window` runs against the `window` runs that ended `lag` runs
/// earlier; empty when the history is shorter than `window + lag`.
pub fn creep(records: &[Record], window: usize, lag: usize, rule: &Rule) -> Vec<Comparison> {
    let n = records.len();
    if window == 0 || n < window + lag {
        return Vec::new();
    }
    let earlier: Vec<Vec<Measurement>> = records[n - lag - window..n - lag].iter().map(as_measurements).collect();
    let recent: Vec<Vec<Measurement>> = records[n - window..].iter().map(as_measurements).collect();
    compare::compare(&earlier, &recent, rule)
}

fn median(samples: &[f64]) -> f64 {
    let mut v = samples.to_vec();
    v.sort_unstable_by(f64::total_cmp);
    v[v.len() / 2]
}

/// The Markdown summary: per benchmark, first and latest median and the creep verdict.
pub fn markdown(records: &[Record], creep: &[Comparison], window: usize, lag: usize) -> String {
    let (first, last) = (&records[0], &records[records.len() - 1]);
    let mut out = format!(
        "## ethbench history of main\n\n{} runs, {} ({}) to {} ({}), on {}.\n\n",
        records.len(),
        &first.commit[..first.commit.len().min(12)],
        first.machine.date,
        &last.commit[..last.commit.len().min(12)],
        last.machine.date,
        last.machine.summary()
    );
    if creep.is_empty() {
        let _ = writeln!(out, "Creep check: needs at least {} runs (window {window}, lag {lag}).\n", window + lag);
    } else {
        let crept: Vec<&Comparison> = creep.iter().filter(|c| c.verdict == Verdict::Regressed).collect();
        let _ = writeln!(
            out,
            "Creep check (last {window} runs against the {window} ending {lag} runs earlier): {} of {} crept.\n",
            crept.len(),
            creep.len()
        );
    }
    let _ = writeln!(out, "| benchmark | first | latest | creep |\n|---|---:|---:|---|");
    for (id, samples) in &last.benchmarks {
        let first_ns = first.benchmarks.get(id).map_or("–".to_owned(), |s| format_time(median(s)));
        let verdict = creep.iter().find(|c| &c.id == id).map_or("–".to_owned(), |c| match (c.verdict, c.ratio) {
            (Verdict::Regressed, Some(r)) => format!("**crept {:+.1}%**", (r - 1.0) * 100.0),
            (v, Some(r)) => format!("{} ({:+.1}%)", v.label(), (r - 1.0) * 100.0),
            (v, None) => v.label().to_owned(),
        });
        let _ = writeln!(out, "| `{id}` | {first_ns} | {} | {verdict} |", format_time(median(samples)));
    }
    out
}

/// A static HTML page, one SVG chart per benchmark (median time per run, by
/// run), drawn with plotters: no script, no CDN.
pub fn html(records: &[Record], creep: &[Comparison]) -> Result<String, Error> {
    use plotters::prelude::*;
    let mut page = String::from(
        "<!doctype html><meta charset=\"utf-8\"><title>ethbench history of main</title>\
         <style>body{font-family:sans-serif;margin:2em}figure{display:inline-block;margin:1em}</style>\
         <h1>ethbench history of main</h1>\n",
    );
    let _ = writeln!(
        page,
        "<p>{} runs; each point is one push to main, its median time per run. Charts marked <b>crept</b> \
         failed the creep check.</p>",
        records.len()
    );
    let last = &records[records.len() - 1];
    for id in last.benchmarks.keys() {
        let points: Vec<(f64, f64)> = records
            .iter()
            .enumerate()
            .filter_map(|(i, r)| r.benchmarks.get(id).map(|s| (i as f64, median(s))))
            .collect();
        let (lo, hi) = points.iter().fold((f64::MAX, 0.0f64), |(lo, hi), p| (lo.min(p.1), hi.max(p.1)));
        let crept = creep.iter().any(|c| &c.id == id && c.verdict == Verdict::Regressed);
        let mut svg = String::new();
        {
            let area = SVGBackend::with_string(&mut svg, (480, 220)).into_drawing_area();
            let draw = |e: &dyn std::fmt::Display| Error::Output { path: id.into(), problem: e.to_string() };
            area.fill(&WHITE).map_err(|e| draw(&e))?;
            let mut chart = ChartBuilder::on(&area)
                .caption(if crept { format!("{id} (crept)") } else { id.clone() }, ("sans-serif", 14))
                .margin(8)
                .x_label_area_size(24)
                .y_label_area_size(64)
                .build_cartesian_2d(0.0..(records.len().max(2) - 1) as f64, lo * 0.95..hi * 1.05)
                .map_err(|e| draw(&e))?;
            chart
                .configure_mesh()
                .x_desc("run")
                .y_label_formatter(&|v| format_time(*v))
                .draw()
                .map_err(|e| draw(&e))?;
            let color = if crept { RED } else { BLUE };
            chart.draw_series(LineSeries::new(points.iter().copied(), &color)).map_err(|e| draw(&e))?;
            area.present().map_err(|e| draw(&e))?;
        }
        let _ = writeln!(page, "<figure>{svg}</figure>");
    }
    Ok(page)
}
