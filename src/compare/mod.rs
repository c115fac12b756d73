//! The comparator: judge one set of Criterion results against another with
//! a bootstrap interval and a floor, and say so in a pull-request comment,
//! in JSON, and in the exit code. One module per job: [`crate::results`]
//! reads Criterion's files, [`decide`] judges, [`print`] writes.

pub mod decide;
pub mod print;

use std::collections::BTreeSet;
use std::fmt;
use std::path::Path;

use crate::machine::Machine;
use crate::results::{read_baseline, Measurement, ReadError};

pub use decide::{compare, judge, paired_ratio, Comparison, Rule, Verdict};

/// Exit status when at least one regression is confirmed.
pub const EXIT_REGRESSED: i32 = 1;
/// Exit status when the input cannot be compared (see [`crate::error::exit_with`]).
pub const EXIT_UNUSABLE: i32 = 2;

#[derive(Debug)]
pub enum CompareError {
    Read(ReadError),
    /// A baseline name or pattern matched nothing.
    NoSuchBaseline {
        pattern: String,
        available: Vec<String>,
    },
    /// The same baseline appears on both sides.
    SameSide(String),
}

impl fmt::Display for CompareError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CompareError::Read(e) => e.fmt(f),
            CompareError::NoSuchBaseline { pattern, available } => {
                let have = if available.is_empty() { "none".to_owned() } else { available.join(", ") };
                write!(
                    f,
                    "no Criterion baseline matches `{pattern}` (have: {have}); save one with `cargo bench -- --save-baseline NAME`"
                )
            }
            CompareError::SameSide(name) => {
                write!(f, "baseline `{name}` is on both sides; compare two different baselines")
            }
        }
    }
}

impl std::error::Error for CompareError {}

impl From<ReadError> for CompareError {
    fn from(e: ReadError) -> Self {
        CompareError::Read(e)
    }
}

/// One side of a comparison: the rounds (Criterion baselines) it pools.
pub struct Side {
    pub label: String,
    pub baselines: Vec<String>,
    pub rounds: Vec<Vec<Measurement>>,
    /// The machine each baseline was measured on, where recorded.
    pub machine: Option<Machine>,
}

/// Names of every baseline with results under `dir`.
pub fn available_baselines(dir: &Path) -> Vec<String> {
    fn walk(dir: &Path, found: &mut BTreeSet<String>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for entry in entries.flatten() {
            let path = entry.path();
            if !path.is_dir() {
                continue;
            }
            if path.join("benchmark.json").is_file() {
                if let Some(name) = path.file_name().and_then(|n| n.to_str()) {
                    found.insert(name.to_owned());
                }
            } else {
                walk(&path, found);
            }
        }
    }
    let mut found = BTreeSet::new();
    walk(dir, &mut found);
    found.into_iter().collect()
}

/// Resolve `spec` (a comma-separated list of names, each may end in `*`) to baselines.
pub fn resolve(dir: &Path, spec: &str) -> Result<Vec<String>, CompareError> {
    let available = available_baselines(dir);
    let mut names = Vec::new();
    for pattern in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let matched: Vec<&String> = match pattern.strip_suffix('*') {
            Some(prefix) => available.iter().filter(|a| a.starts_with(prefix)).collect(),
            None => available.iter().filter(|a| *a == pattern).collect(),
        };
        if matched.is_empty() {
            if !dir.is_dir() {
                return Err(ReadError::NoResults(dir.to_owned()).into());
            }
            // CI caches are known to restore `<bench>/base/` directories empty.
            let name = pattern.trim_end_matches('*');
            if !pattern.ends_with('*') && baseline_dir_exists(dir, name) {
                return Err(ReadError::EmptyBaseline { dir: dir.to_owned(), baseline: name.to_owned() }.into());
            }
            return Err(CompareError::NoSuchBaseline { pattern: pattern.to_owned(), available });
        }
        names.extend(matched.into_iter().cloned());
    }
    Ok(names)
}

/// Whether any benchmark directory has a subdirectory named `name` (maybe empty).
fn baseline_dir_exists(dir: &Path, name: &str) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else { return false };
    entries.flatten().any(|e| {
        let path = e.path();
        path.is_dir() && (path.join(name).is_dir() || baseline_dir_exists(&path, name))
    })
}

pub fn load_side(dir: &Path, label: &str, spec: &str) -> Result<Side, CompareError> {
    let baselines = resolve(dir, spec)?;
    let rounds = baselines.iter().map(|b| read_baseline(dir, b)).collect::<Result<Vec<_>, _>>()?;
    let machine = baselines.iter().find_map(|b| {
        let text = std::fs::read(crate::bench::machine_file(dir, b)).ok()?;
        serde_json::from_slice(&text).ok()
    });
    Ok(Side { label: label.to_owned(), baselines, rounds, machine })
}

/// Refuse a baseline on both sides. (A benchmark whose throughput differs
/// between the sides did different work: [`compare`] calls it
/// `incomparable` and judges the rest.)
pub fn check_comparable(base: &Side, new: &Side) -> Result<(), CompareError> {
    match base.baselines.iter().find(|b| new.baselines.contains(b)) {
        Some(name) => Err(CompareError::SameSide(name.clone())),
        None => Ok(()),
    }
}

/// Counts per verdict.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    pub regressed: usize,
    pub improved: usize,
    pub unchanged: usize,
    pub new: usize,
    pub missing: usize,
    pub incomparable: usize,
}

pub fn summarize(comparisons: &[Comparison]) -> Summary {
    let mut s = Summary::default();
    for c in comparisons {
        match c.verdict {
            Verdict::Regressed => s.regressed += 1,
            Verdict::Improved => s.improved += 1,
            Verdict::Unchanged => s.unchanged += 1,
            Verdict::New => s.new += 1,
            Verdict::Missing => s.missing += 1,
            Verdict::Incomparable => s.incomparable += 1,
        }
    }
    s
}
