//! The history as series: per benchmark, each run's median with its
//! interval as a change against the benchmark's first runs, a rolling median
//! with the creep check's floor around it, and how far it moved over the
//! window. Pure data: the page and the Markdown summary only print it.

use std::collections::BTreeMap;

use super::{creep, Creep, Record};
use crate::judge::compare::{Comparison, Rule, Verdict};
use crate::measure::id::Id;
use crate::measure::stats;

/// One run of main on the trend's axis: measured, or skipped with a reason.
#[derive(Debug, Clone)]
pub struct Run {
    pub commit: String,
    pub date: String,
    pub rustc: String,
    pub skipped: Option<String>,
}

impl Run {
    pub(crate) fn short_commit(&self) -> &str {
        &self.commit[..self.commit.len().min(7)]
    }
}

/// One benchmark in one run. Changes are fractions of the benchmark's
/// reference, the median of its first `window` measured medians: +0.05 is
/// 5% slower.
#[derive(Debug, Clone, Copy)]
pub struct Point {
    pub median_ns: f64,
    pub change: f64,
    /// The 95% interval of the run's median, as changes.
    pub low: f64,
    pub high: f64,
}

#[derive(Debug, Clone)]
pub struct Series {
    pub id: String,
    /// One slot per run of the trend; `None` where the run was skipped or
    /// did not have this benchmark.
    pub points: Vec<Option<Point>>,
    /// The median of the last `window` measured medians up to each run, as a
    /// change: the line the floor's band is drawn around.
    pub rolling: Vec<Option<f64>>,
    /// The rolling median at the last measured run: how far the benchmark
    /// moved over the window, robust to one noisy run at the end.
    pub moved: f64,
}

impl Series {
    pub fn first(&self) -> Option<&Point> {
        self.points.iter().flatten().next()
    }

    pub fn latest(&self) -> Option<&Point> {
        self.points.iter().flatten().next_back()
    }
}

/// A group of the suite (an id's first part) and its series, in id order.
pub struct Group<'a> {
    pub name: String,
    pub series: Vec<&'a Series>,
    /// The largest rolling change of any series in the group, which sets the
    /// group's common scale.
    pub largest_move: f64,
}

pub struct Trend {
    pub runs: Vec<Run>,
    pub series: Vec<Series>,
    pub creep: Creep,
    /// The first `window` measured runs against the last `window`, by the
    /// creep check's rule: which moves over the whole history are beyond
    /// each benchmark's own noise. Empty when fewer than twice `window` were measured.
    pub since_start: Vec<Comparison>,
    /// The creep check's floor, as a fraction: also the band's half-width.
    pub floor: f64,
}

impl Trend {
    /// The series of every benchmark of the latest measured run (benchmarks
    /// since removed from the suite are left out), over all `records`, and
    /// the creep check of the last `window` runs against the `window` that
    /// ended `lag` runs earlier.
    pub fn new(records: &[Record], window: usize, lag: usize, rule: &Rule) -> Self {
        let measured = records.iter().filter(|r| r.skipped.is_none()).count();
        let since_start = if window > 0 && measured >= 2 * window {
            creep(records, window, measured - window, rule).comparisons
        } else {
            Vec::new()
        };
        let creep = creep(records, window, lag, rule);
        let floor = rule.floor;
        let runs = records
            .iter()
            .map(|r| Run {
                commit: r.commit.clone(),
                date: r.machine.date.clone(),
                rustc: r.machine.rustc.clone(),
                skipped: r.skipped.clone(),
            })
            .collect();
        let latest = records.iter().rev().find(|r| r.skipped.is_none());
        let series = latest
            .map(|latest| latest.benchmarks.keys().map(|id| series(id, records, creep.window.max(1))).collect())
            .unwrap_or_default();
        Trend { runs, series, creep, since_start, floor }
    }

    pub fn measured(&self) -> usize {
        self.runs.iter().filter(|r| r.skipped.is_none()).count()
    }

    /// Whether a benchmark moved over the whole history: its first runs and
    /// its last differ beyond the floor by the comparator's rule, or, in a
    /// history too short for that, its rolling median left the floor.
    pub fn moved(&self, series: &Series) -> bool {
        if self.since_start.is_empty() {
            return series.moved.abs() > self.floor;
        }
        self.since_start.iter().any(|c| c.id == series.id && c.verdict != Verdict::Unchanged)
    }

    /// The benchmarks that moved, largest move first.
    pub fn movers(&self) -> Vec<&Series> {
        let mut moved: Vec<&Series> = self.series.iter().filter(|s| self.moved(s)).collect();
        moved.sort_by(|a, b| b.moved.abs().total_cmp(&a.moved.abs()).then_with(|| a.id.cmp(&b.id)));
        moved
    }

    /// The series by group, groups in name order; in each, the benchmarks
    /// that moved or crept come first, largest move first, then the rest in id order.
    pub fn groups(&self) -> Vec<Group<'_>> {
        let mut groups: BTreeMap<String, Vec<&Series>> = BTreeMap::new();
        for s in &self.series {
            let name =
                Id::parse(&s.id).map_or_else(|_| s.id.split('/').next().unwrap_or_default().to_owned(), |id| id.group);
            groups.entry(name).or_default().push(s);
        }
        groups
            .into_iter()
            .map(|(name, mut series)| {
                let notable = |s: &Series| self.moved(s) || self.creep.crept().iter().any(|c| c.id == s.id);
                series.sort_by(|a, b| {
                    let key = |s: &Series| (!notable(s), if notable(s) { -s.moved.abs() } else { 0.0 });
                    let (ka, kb) = (key(a), key(b));
                    ka.0.cmp(&kb.0).then(ka.1.total_cmp(&kb.1)).then_with(|| a.id.cmp(&b.id))
                });
                let largest_move =
                    series.iter().flat_map(|s| s.rolling.iter().flatten()).fold(0.0f64, |m, c| m.max(c.abs()));
                Group { name, series, largest_move }
            })
            .collect()
    }

    /// Indexes of runs measured on another rustc than the measured run before them.
    pub fn toolchain_changes(&self) -> Vec<usize> {
        let mut changes = Vec::new();
        let mut previous: Option<&str> = None;
        for (i, run) in self.runs.iter().enumerate().filter(|(_, r)| r.skipped.is_none()) {
            if previous.is_some_and(|p| p != run.rustc) {
                changes.push(i);
            }
            previous = Some(&run.rustc);
        }
        changes
    }
}

fn series(id: &str, records: &[Record], window: usize) -> Series {
    let medians: Vec<Option<(f64, f64, f64)>> = records
        .iter()
        .map(|r| {
            let samples = r.benchmarks.get(id).filter(|s| !s.is_empty())?;
            let mut sorted = samples.clone();
            let median = stats::median(&mut sorted);
            let (low, high) = stats::median_interval(&sorted);
            Some((median, low, high))
        })
        .collect();
    // The median of the first `window` runs, not the first run alone: one
    // noisy run at the start would shift every change in the row.
    let mut first: Vec<f64> = medians.iter().flatten().take(window).map(|m| m.0).collect();
    let reference = if first.is_empty() { 1.0 } else { stats::median(&mut first) };
    let change = |ns: f64| ns / reference - 1.0;
    let points: Vec<Option<Point>> = medians
        .iter()
        .map(|m| {
            m.map(|(median, low, high)| Point {
                median_ns: median,
                change: change(median),
                low: change(low),
                high: change(high),
            })
        })
        .collect();
    let mut recent: Vec<f64> = Vec::new();
    let rolling: Vec<Option<f64>> = points
        .iter()
        .map(|p| {
            let p = p.as_ref()?;
            recent.push(p.change);
            let from = recent.len().saturating_sub(window);
            Some(stats::median(&mut recent[from..].to_vec()))
        })
        .collect();
    let moved = rolling.iter().flatten().next_back().copied().unwrap_or(0.0);
    Series { id: id.to_owned(), points, rolling, moved }
}
