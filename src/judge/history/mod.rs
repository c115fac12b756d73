//! main's history: one record per push to main (kept by the `bench-main`
//! workflow on the `bench-history` branch), and a check for slow creep that
//! no single pull request shows. [`trend`] turns the records into series,
//! [`page`] draws them as the trend page, [`summary`] writes them as Markdown.
//!
//! Creep is judged by the comparator's own rule: the last `window` runs on
//! one side, the `window` runs that ended `lag` runs earlier on the other,
//! each run one round, and a change counts only when its whole interval
//! lies beyond the floor.

pub mod page;
pub mod summary;
pub mod trend;

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::judge::compare::{self, Comparison, Rule, Verdict};
use crate::measure::error::Error;
use crate::measure::machine::Machine;
use crate::measure::results::{Estimate, Interval, Measurement};

/// One run of the suite on main.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Record {
    pub commit: String,
    /// Seconds since the epoch when the record was made: the history's order.
    pub unix: u64,
    pub machine: Machine,
    /// Benchmark id → time per iteration of each Criterion sample, ns.
    pub benchmarks: BTreeMap<String, Vec<f64>>,
    /// Why this commit of main has no measurements (then `benchmarks` is
    /// empty): the suite failed, or a newer push superseded its run. The
    /// trend shows it as a gap, so a hole in the history is never silent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skipped: Option<String>,
}

impl Record {
    /// A record of the Criterion baseline `baseline` under `criterion_dir`.
    pub fn from_baseline(criterion_dir: &Path, baseline: &str, commit: &str) -> Result<Self, Error> {
        let measurements = crate::measure::results::read_baseline(criterion_dir, baseline)
            .map_err(|e| Error::Input { path: criterion_dir.to_owned(), problem: e.to_string() })?;
        let unix = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
        Ok(Record {
            commit: commit.to_owned(),
            unix,
            machine: Machine::current(),
            benchmarks: measurements.into_iter().map(|m| (m.id, m.per_iteration)).collect(),
            skipped: None,
        })
    }

    /// A record of a commit of main that was not measured, and why.
    pub fn skipped(commit: &str, unix: u64, reason: &str) -> Self {
        Record {
            commit: commit.to_owned(),
            unix,
            machine: Machine::current(),
            benchmarks: BTreeMap::new(),
            skipped: Some(reason.to_owned()),
        }
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

/// The creep check's result: every benchmark's verdict, and the compilers
/// of its two sides.
#[derive(Debug, Clone, Default)]
pub struct Creep {
    pub window: usize,
    pub lag: usize,
    pub comparisons: Vec<Comparison>,
    /// The rustc versions of the earlier and the recent side, when they
    /// differ: a new compiler moves code generation everywhere at once, so
    /// such a move is shown as the toolchain's, not called creep.
    pub toolchain_change: Option<(String, String)>,
}

impl Creep {
    /// Whether the history was long enough to judge.
    pub fn judged(&self) -> bool {
        !self.comparisons.is_empty()
    }

    /// The benchmarks that crept: slower beyond the floor on one toolchain.
    pub fn crept(&self) -> Vec<&Comparison> {
        if self.toolchain_change.is_some() {
            return Vec::new();
        }
        self.comparisons.iter().filter(|c| c.verdict == Verdict::Regressed).collect()
    }

    pub fn verdict(&self, id: &str) -> Option<&Comparison> {
        self.comparisons.iter().find(|c| c.id == id)
    }

    /// A benchmark's verdict in words, and whether it crept: `crept (+4.1%)`,
    /// `slower (+4.1%), across a toolchain change`, `no change (+0.3%)`.
    pub fn describe(&self, id: &str) -> Option<(bool, String)> {
        let c = self.verdict(id)?;
        let change = c.ratio.map_or(String::new(), |r| format!(" ({:+.1}%)", (r - 1.0) * 100.0));
        Some(match c.verdict {
            Verdict::Regressed if self.toolchain_change.is_none() => (true, format!("crept{change}")),
            Verdict::Regressed => (false, format!("slower{change}, across a toolchain change")),
            v => (false, format!("{}{change}", v.label())),
        })
    }
}

/// The recent `window` measured runs against the `window` that ended `lag`
/// measured runs earlier; nothing judged when fewer than `window + lag` were measured.
pub fn creep(records: &[Record], window: usize, lag: usize, rule: &Rule) -> Creep {
    let measured: Vec<&Record> = records.iter().filter(|r| r.skipped.is_none()).collect();
    let n = measured.len();
    let mut creep = Creep { window, lag, ..Creep::default() };
    if window == 0 || n < window + lag {
        return creep;
    }
    let (earlier, recent) = (&measured[n - lag - window..n - lag], &measured[n - window..]);
    let toolchains = |side: &[&Record]| -> Vec<String> {
        let mut v: Vec<String> = side.iter().map(|r| r.machine.rustc.clone()).collect();
        v.dedup();
        v
    };
    let (before, after) = (toolchains(earlier), toolchains(recent));
    if before != after {
        creep.toolchain_change = Some((before.join(", "), after.join(", ")));
    }
    let as_rounds = |side: &[&Record]| -> Vec<Vec<Measurement>> { side.iter().copied().map(as_measurements).collect() };
    creep.comparisons = compare::compare(&as_rounds(earlier), &as_rounds(recent), rule);
    creep
}
