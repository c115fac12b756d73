//! The comparator: judge one set of Criterion results against another with
//! a bootstrap interval and a floor, and say so in a pull-request comment,
//! in JSON, and in the exit code. One module per job: [`crate::measure::results`]
//! reads Criterion's files, [`decide`] judges, and the report layer (`src/judge/report/`)
//! writes what was decided.

pub mod calibrate;
pub mod decide;
pub mod floors_chart;

use std::fmt;
use std::path::Path;

use crate::measure::machine::Machine;
use crate::measure::results::{Measurement, ReadError};

pub use decide::{compare, judge, paired_ratio, Comparison, Rule, Verdict};

/// Exit status when at least one regression is confirmed.
pub const EXIT_REGRESSED: i32 = 1;
/// Exit status when the input cannot be compared (see [`crate::measure::error::exit_with`]).
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

/// Every baseline under a Criterion directory, read in one walk.
pub struct Results {
    dir: std::path::PathBuf,
    baselines: std::collections::BTreeMap<String, Vec<Measurement>>,
}

impl Results {
    pub fn read(dir: &Path) -> Result<Self, CompareError> {
        Ok(Self { dir: dir.to_owned(), baselines: crate::measure::results::read_all(dir)? })
    }

    /// Resolve `spec` (a comma-separated list of names, each may end in `*`) to baselines.
    pub fn resolve(&self, spec: &str) -> Result<Vec<String>, CompareError> {
        let mut names = Vec::new();
        for pattern in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let matched: Vec<&String> = match pattern.strip_suffix('*') {
                Some(prefix) => self.baselines.keys().filter(|a| a.starts_with(prefix)).collect(),
                None => self.baselines.keys().filter(|a| *a == pattern).collect(),
            };
            if matched.is_empty() {
                // CI caches are known to restore `<bench>/base/` directories empty.
                let name = pattern.trim_end_matches('*');
                if !pattern.ends_with('*') && baseline_dir_exists(&self.dir, name) {
                    return Err(ReadError::EmptyBaseline { dir: self.dir.clone(), baseline: name.to_owned() }.into());
                }
                let available = self.baselines.keys().cloned().collect();
                return Err(CompareError::NoSuchBaseline { pattern: pattern.to_owned(), available });
            }
            names.extend(matched.into_iter().cloned());
        }
        Ok(names)
    }

    /// One side of a comparison: the baselines `spec` names, each a round.
    pub fn side(&self, label: &str, spec: &str) -> Result<Side, CompareError> {
        let baselines = self.resolve(spec)?;
        let rounds = baselines.iter().map(|b| self.baselines[b].clone()).collect();
        let machine = baselines.iter().find_map(|b| crate::measure::results::recorded_machine(&self.dir, b));
        Ok(Side { label: label.to_owned(), baselines, rounds, machine })
    }
}

/// Whether any benchmark directory has a subdirectory named `name` (maybe empty).
fn baseline_dir_exists(dir: &Path, name: &str) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else { return false };
    entries.flatten().any(|e| {
        let path = e.path();
        path.is_dir() && (path.join(name).is_dir() || baseline_dir_exists(&path, name))
    })
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
    /// Changes beyond the floor seen with one run per side: unconfirmed.
    pub suspects: usize,
    /// Of those, the slower ones: what `--gate` fails on.
    pub suspects_slower: usize,
}

pub(crate) fn summarize(comparisons: &[Comparison]) -> Summary {
    let mut s = Summary::default();
    for c in comparisons {
        match c.verdict {
            Verdict::Regressed => s.regressed += 1,
            Verdict::Improved => s.improved += 1,
            Verdict::Unchanged => s.unchanged += 1,
            Verdict::New => s.new += 1,
            Verdict::Missing => s.missing += 1,
            Verdict::Incomparable => s.incomparable += 1,
            Verdict::Suspect => {
                s.suspects += 1;
                s.suspects_slower += usize::from(c.ratio.is_some_and(|r| r > 1.0));
            }
        }
    }
    s
}
