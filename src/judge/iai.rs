//! The instruction-count baseline: `ci/iai-baseline.json`, written from the
//! summaries iai-callgrind leaves under `target/iai/`, and the check that
//! compares a fresh run with it.
//!
//! Most counts repeat exactly run to run on one machine; those whose work
//! goes through randomly seeded hash maps (revm's state) move a little, so
//! each twin's tolerance comes from its measured spread ([`spreads`]). Counts
//! can still differ between processors
//! where code picks its path by CPU feature at run time (keccak, secp256k1,
//! memcpy), so the baseline records the CPU model and the feature flags that
//! matter. On a machine whose flags differ, the check prints the table but
//! does not fail: the counts are not comparable, and the fix is a baseline
//! taken on that machine.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::measure::error::Error;

pub const BASELINE: &str = "ci/iai-baseline.json";
/// The metric the check judges; the others are recorded and shown.
pub(crate) const PRIMARY: &str = "Ir";
/// Why a workload has no instruction-count twin (`None`: it has one, in
/// `benches/<group>/iai.rs`; a test holds the two lists together). Counts
/// are for work that repeats exactly; these workloads' cost lies in what
/// callgrind does not count or cannot repeat.
pub fn uncounted(id: &str) -> Option<&'static str> {
    if id.contains("rayon") || id == "pipeline/mixed_3m_1e4/import" {
        Some("threads: callgrind runs one thread at a time, and work stealing splits the work differently in every run")
    } else if id.starts_with("scale/") {
        Some("disk: it reads and writes a state tier on disk (some with the page cache dropped), so its cost is I/O")
    } else if id == "harness/loop/noop" {
        Some("the clock: it measures the timing loop itself, whose cost is reading the clock; its run is an empty call")
    } else {
        None
    }
}

/// CPU flags that change which code paths dependencies take.
const CPU_FEATURES: [&str; 13] = [
    "sse4_1",
    "sse4_2",
    "avx",
    "avx2",
    "bmi1",
    "bmi2",
    "adx",
    "aes",
    "pclmulqdq",
    "sha_ni",
    "avx512f",
    "avx512bw",
    "avx512vl",
];
/// Crates whose versions decide the counts, recorded with the baseline.
const RECORDED_CRATES: [&str; 9] = [
    "iai-callgrind",
    "alloy-rlp",
    "alloy-consensus",
    "alloy-trie",
    "alloy-primitives",
    "k256",
    "secp256k1",
    "signet-libmdbx",
    "criterion",
];

/// Every callgrind metric of every benchmark, keyed by workload id.
pub type Counts = BTreeMap<String, BTreeMap<String, u64>>;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cpu {
    pub model: String,
    pub features: Vec<String>,
}

impl Cpu {
    pub fn current() -> Self {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let field = |name: &str| {
            cpuinfo.lines().find_map(|l| {
                let (k, v) = l.split_once(':')?;
                (k.trim() == name).then(|| v.trim().to_owned())
            })
        };
        let flags = field("flags").unwrap_or_default();
        let have: Vec<&str> = flags.split_whitespace().collect();
        Cpu {
            model: field("model name").unwrap_or_else(|| std::env::consts::ARCH.to_owned()),
            features: CPU_FEATURES.iter().filter(|f| have.contains(f)).map(|f| f.to_string()).collect(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Baseline {
    /// How to rewrite this file.
    pub written_by: String,
    pub date: String,
    pub rustc: String,
    pub dependencies: BTreeMap<String, String>,
    pub cpu: Cpu,
    /// Largest accepted rise of the primary count, as a fraction (0.01 = 1%).
    pub tolerance: f64,
    /// Per-benchmark tolerances by id prefix; the longest matching prefix wins.
    #[serde(default)]
    pub tolerances: BTreeMap<String, f64>,
    /// How `tolerances` were derived: the command, its date and its runs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tolerances_from: Option<String>,
    pub benchmarks: Counts,
}

impl Baseline {
    pub(crate) fn tolerance_for(&self, id: &str) -> f64 {
        crate::measure::id::longest_prefix(self.tolerances.iter().map(|(p, t)| (p.as_str(), *t)), id)
            .unwrap_or(self.tolerance)
    }
}

fn unusable(path: &Path, problem: impl Into<String>) -> Error {
    Error::Input { path: path.to_owned(), problem: problem.into() }
}

/// Versions of [`RECORDED_CRATES`] in `Cargo.lock` (several versions of
/// one crate comma-separated); none from a lock file that does not parse.
pub(crate) fn locked_versions(lock: &str) -> BTreeMap<String, String> {
    let mut versions = BTreeMap::new();
    let Ok(doc) = lock.parse::<toml_edit::Document<String>>() else { return versions };
    let packages = doc.get("package").and_then(|p| p.as_array_of_tables());
    for package in packages.into_iter().flat_map(|p| p.iter()) {
        let (Some(name), Some(version)) =
            (package.get("name").and_then(|n| n.as_str()), package.get("version").and_then(|v| v.as_str()))
        else {
            continue;
        };
        if RECORDED_CRATES.contains(&name) {
            versions
                .entry(name.to_owned())
                .and_modify(|e: &mut String| *e = format!("{e}, {version}"))
                .or_insert(version.to_owned());
        }
    }
    versions
}

/// The workload id a summary measured. Bench ids are written `case__input`
/// in `benches/<group>/iai.rs` (`decode__block_200tx`), and the module path
/// starts with the bench target (`rlp_iai::group::rlp`), which names the group.
fn workload_id(summary: &serde_json::Value) -> Option<String> {
    let id = summary.get("id")?.as_str()?;
    let target = summary.get("module_path")?.as_str()?.split("::").next()?;
    crate::measure::id::Id::from_iai(target.strip_suffix("_iai")?, id).map(|id| id.to_string())
}

/// The callgrind totals of one summary: metric name → count.
fn callgrind_totals(summary: &serde_json::Value) -> Option<BTreeMap<String, u64>> {
    let profiles = summary.get("profiles")?.as_array()?;
    let callgrind = profiles.iter().find(|p| p.get("tool").and_then(|t| t.as_str()) == Some("Callgrind"))?;
    let metrics = callgrind.pointer("/summaries/total/summary/Callgrind")?.as_object()?;
    let mut out = BTreeMap::new();
    for (name, diff) in metrics {
        // `Left` is this run; `Both` is [this run, the previous one].
        let metric = diff.pointer("/metrics/Left").or_else(|| diff.pointer("/metrics/Both/0"))?;
        if let Some(n) = metric.get("Int").and_then(|n| n.as_u64()) {
            out.insert(name.clone(), n);
        }
    }
    Some(out)
}

/// Every `summary.json` under `dir` (iai-callgrind's `--save-summary=json`).
pub fn read_summaries(dir: &Path) -> Result<Counts, Error> {
    let files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file() && e.file_name() == "summary.json")
        .map(walkdir::DirEntry::into_path)
        .collect();
    if files.is_empty() {
        return Err(unusable(dir, "holds no iai-callgrind summaries; run `scripts/iai.sh` first"));
    }
    let mut counts = Counts::new();
    for file in files {
        let text = std::fs::read(&file).map_err(|e| unusable(&file, e.to_string()))?;
        let summary: serde_json::Value =
            serde_json::from_slice(&text).map_err(|e| unusable(&file, format!("not JSON ({e})")))?;
        let id = workload_id(&summary)
            .ok_or_else(|| unusable(&file, "has no bench id of the form case__input from a *_iai target"))?;
        let totals = callgrind_totals(&summary).ok_or_else(|| unusable(&file, "has no callgrind totals"))?;
        counts.insert(id, totals);
    }
    Ok(counts)
}

pub fn load(path: &Path) -> Result<Baseline, Error> {
    let text = std::fs::read(path)
        .map_err(|e| unusable(path, format!("{e}; write it with `scripts/iai.sh --save-baseline`")))?;
    serde_json::from_slice(&text).map_err(|e| unusable(path, format!("not a baseline ({e})")))
}

pub fn new_baseline(counts: Counts, lock: &str, previous: Option<&Baseline>) -> Baseline {
    let machine = crate::measure::machine::Machine::current();
    // A run of some groups (`scripts/iai.sh --save-baseline pipeline`) keeps the other groups' counts.
    let group = |id: &str| id.split('/').next().unwrap_or_default().to_owned();
    let ran: std::collections::BTreeSet<String> = counts.keys().map(|id| group(id)).collect();
    let mut benchmarks: Counts = previous
        .map(|b| {
            b.benchmarks
                .iter()
                .filter(|(id, _)| !ran.contains(&group(id)))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect()
        })
        .unwrap_or_default();
    benchmarks.extend(counts);
    Baseline {
        written_by: "scripts/iai.sh --save-baseline".into(),
        date: machine.date,
        rustc: machine.rustc,
        dependencies: locked_versions(lock),
        cpu: Cpu::current(),
        // Tolerances are policy: keep whatever the previous baseline set.
        tolerance: previous.map_or(0.01, |b| b.tolerance),
        tolerances: previous.map(|b| b.tolerances.clone()).unwrap_or_default(),
        tolerances_from: previous.and_then(|b| b.tolerances_from.clone()),
        benchmarks,
    }
}

/// The tolerance of a twin whose count did not move over repeated runs:
/// base and head are different builds, and a change elsewhere can still
/// shift what set-up leaves on the heap.
pub const FLOOR: f64 = 0.005;
/// A moving twin's tolerance, in multiples of the largest spread measured:
/// a few runs see less than the whole range.
pub const SPREAD_MARGIN: f64 = 3.0;
/// The least tolerance of a twin whose count moved at all. Such counts go
/// through randomly seeded maps, and besides moving by tens of instructions
/// they now and then step by 1–4% (7k–55k instructions) in some runs, seen
/// in a different handful of twins by every set of runs
/// (results/2026-12-07-instruction-counts-xeon-2core.md). 3% was set by the
/// largest step outside the twins already wider (2.84%); a later set found
/// 3.09% and 4.43% steps in twins whose own spread had widened them.
pub const MOVING_FLOOR: f64 = 0.03;

/// How far one twin's count moved over repeated runs of one build.
#[derive(Debug, Clone, PartialEq)]
pub struct Spread {
    pub id: String,
    pub min: u64,
    pub max: u64,
}

impl Spread {
    /// `max / min - 1`.
    pub fn relative(&self) -> f64 {
        self.max as f64 / self.min.max(1) as f64 - 1.0
    }

    /// The tolerance this spread calls for: [`SPREAD_MARGIN`] times the
    /// spread, never below [`FLOOR`] for a count that repeated exactly nor
    /// below [`MOVING_FLOOR`] for one that moved, rounded up to a tenth of a
    /// percent.
    pub fn tolerance(&self) -> f64 {
        let least = if self.min == self.max { FLOOR } else { MOVING_FLOOR };
        let t = (SPREAD_MARGIN * self.relative()).max(least);
        // The small offset keeps float error (3 x 0.004 = 0.012000000000000002) from rounding up a step.
        ((t * 1000.0) - 1e-9).ceil() / 1000.0
    }
}

/// The spread of every twin's primary count over `runs`; a twin missing
/// from some run is an error, since its spread would be unknown.
/// Set each twin's tolerance to the wider of the committed one and the one
/// `spreads` call for; returns how many committed ones were wider and stayed.
pub fn widen(baseline: &mut Baseline, spreads: &[Spread]) -> usize {
    let mut kept = 0;
    for s in spreads {
        let derived = s.tolerance();
        match baseline.tolerances.get_mut(&s.id) {
            Some(committed) if *committed > derived => kept += 1,
            Some(committed) => *committed = derived,
            None => {
                baseline.tolerances.insert(s.id.clone(), derived);
            }
        }
    }
    kept
}

pub fn spreads(runs: &[Counts]) -> Result<Vec<Spread>, String> {
    if runs.len() < 2 {
        return Err(format!("{} run given; a spread needs two at least", runs.len()));
    }
    let mut out = Vec::new();
    for id in runs.iter().flat_map(|r| r.keys()).collect::<std::collections::BTreeSet<_>>() {
        let counts: Vec<u64> = runs.iter().filter_map(|r| r.get(id)?.get(PRIMARY).copied()).collect();
        if counts.len() != runs.len() {
            return Err(format!("`{id}` ran in {} of {} runs", counts.len(), runs.len()));
        }
        let (min, max) = (counts.iter().min(), counts.iter().max());
        out.push(Spread { id: id.clone(), min: *min.expect("one run at least"), max: *max.expect("one run at least") });
    }
    Ok(out)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Same,
    /// Within the tolerance.
    Within,
    Rose,
    Fell,
    New,
    NotRun,
}

#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub id: String,
    pub old: Option<u64>,
    pub new: Option<u64>,
    pub tolerance: f64,
    pub status: Status,
    /// Other metrics that moved, for the reader.
    pub others: Vec<String>,
}

pub struct Check {
    pub rows: Vec<Row>,
    pub cpu_differs: bool,
}

impl Check {
    /// How many counts rose past their tolerance on a comparable CPU: what a
    /// pull request's comparison calls a regression.
    pub fn rose_count(&self) -> usize {
        if self.cpu_differs {
            0
        } else {
            self.count(Status::Rose)
        }
    }

    pub fn count(&self, status: Status) -> usize {
        self.rows.iter().filter(|r| r.status == status).count()
    }

    /// A baseline benchmark did not run, or a benchmark has no baseline yet.
    pub fn incomplete(&self) -> bool {
        self.rows.iter().any(|r| matches!(r.status, Status::NotRun | Status::New))
    }

    /// The check fails when a count rose past its tolerance, a baseline
    /// benchmark did not run, or a benchmark has no baseline yet; never on a
    /// machine whose CPU features differ from the baseline's.
    pub fn failed(&self) -> bool {
        !self.cpu_differs && self.rows.iter().any(|r| matches!(r.status, Status::Rose | Status::NotRun | Status::New))
    }
}

/// Compare a run with the baseline; `groups` limits which baseline entries must have run.
pub fn check(baseline: &Baseline, run: &Counts, groups: &[String]) -> Check {
    let in_scope = |id: &str| groups.is_empty() || groups.iter().any(|g| id.split('/').next() == Some(g.as_str()));
    // A summary of another group is an earlier run's, left in target/iai.
    let mut ids: Vec<&String> = baseline.benchmarks.keys().chain(run.keys()).filter(|id| in_scope(id)).collect();
    ids.sort();
    ids.dedup();
    let rows = ids
        .into_iter()
        .map(|id| {
            let old = baseline.benchmarks.get(id);
            let new = run.get(id);
            let tolerance = baseline.tolerance_for(id);
            let primary = |m: Option<&BTreeMap<String, u64>>| m.and_then(|m| m.get(PRIMARY).copied());
            let (o, n) = (primary(old), primary(new));
            let status = match (o, n) {
                (None, Some(_)) => Status::New,
                (Some(_), None) | (None, None) => Status::NotRun,
                (Some(o), Some(n)) if o == n => Status::Same,
                (Some(o), Some(n)) => {
                    let change = n as f64 / o as f64 - 1.0;
                    if change > tolerance {
                        Status::Rose
                    } else if change < -tolerance {
                        Status::Fell
                    } else {
                        Status::Within
                    }
                }
            };
            let others = match (old, new) {
                (Some(old), Some(new)) => old
                    .iter()
                    .filter(|(k, _)| k.as_str() != PRIMARY)
                    .filter_map(|(k, o)| {
                        let n = new.get(k)?;
                        (n != o).then(|| format!("{k} {:+.2}%", (*n as f64 / (*o).max(1) as f64 - 1.0) * 100.0))
                    })
                    .collect(),
                _ => Vec::new(),
            };
            Row { id: id.clone(), old: o, new: n, tolerance, status, others }
        })
        .collect();
    Check { rows, cpu_differs: baseline.cpu.features != Cpu::current().features }
}

/// The per-benchmark table and the verdict, for the terminal and CI logs.
pub fn render(check: &Check, baseline: &Baseline) -> String {
    let mut out = String::new();
    let count = |v: Option<u64>| v.map_or("–".to_owned(), |v| v.to_string());
    let _ = writeln!(
        out,
        "| benchmark | baseline {PRIMARY} | now {PRIMARY} | change | tolerance | status | other metrics that moved |"
    );
    let _ = writeln!(out, "|---|---:|---:|---:|---:|---|---|");
    for r in &check.rows {
        let change = match (r.old, r.new) {
            (Some(o), Some(n)) => format!("{:+.3}%", (n as f64 / o as f64 - 1.0) * 100.0),
            _ => "–".to_owned(),
        };
        let status = match r.status {
            Status::Same => "same",
            Status::Within => "within tolerance",
            Status::Rose => "**ROSE**",
            Status::Fell => "fell: update the baseline to keep the gain",
            Status::New => "**NEW**: not in the baseline",
            Status::NotRun => "**NOT RUN**",
        };
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {change} | ±{:.1}% | {status} | {} |",
            r.id,
            count(r.old),
            count(r.new),
            r.tolerance * 100.0,
            r.others.join(", ")
        );
    }
    if check.cpu_differs {
        let _ = writeln!(
            out,
            "\nThis CPU's features ({}) differ from the baseline's ({}, {}): counts are not comparable, so nothing fails. Take a baseline on this machine with `scripts/iai.sh --save-baseline`.",
            Cpu::current().features.join(" "),
            baseline.cpu.model,
            baseline.cpu.features.join(" ")
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::locked_versions;

    #[test]
    fn the_lock_files_versions_are_read() {
        // Cargo.toml pins iai-callgrind to =0.16.1, so the lock must say so.
        let versions = locked_versions(include_str!("../../Cargo.lock"));
        assert_eq!(versions.get("iai-callgrind").map(String::as_str), Some("0.16.1"));
        let two = "[[package]]\nname = \"alloy-rlp\"\nversion = \"0.3.1\"\n\n\
                   [[package]]\nname = \"alloy-rlp\"\nversion = \"0.3.2\"\n\n\
                   [[package]]\nname = \"serde\"\nversion = \"1.0.0\"\n";
        let versions = locked_versions(two);
        assert_eq!(versions.get("alloy-rlp").map(String::as_str), Some("0.3.1, 0.3.2"));
        assert_eq!(versions.len(), 1);
        assert!(locked_versions("not = [toml").is_empty());
    }
}
