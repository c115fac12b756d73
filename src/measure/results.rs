//! Reading Criterion's output under `target/criterion/`: for each benchmark
//! and baseline, `benchmark.json` (id, throughput), `estimates.json` (point
//! estimates with intervals) and `sample.json` (the raw samples).

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::measure::machine::Machine;
use crate::measure::workload::Throughput;

/// One benchmark's results in one baseline.
#[derive(Debug, Clone)]
pub struct Measurement {
    pub id: String,
    pub throughput: Option<Throughput>,
    /// Median time per iteration, ns, with Criterion's 95% interval.
    pub median: Estimate,
    pub mean: Estimate,
    /// Time per iteration of each sample, ns (`times[i] / iters[i]`).
    pub per_iteration: Vec<f64>,
}

#[derive(Debug, Clone, Copy, Deserialize)]
pub struct Estimate {
    pub point_estimate: f64,
    pub confidence_interval: Interval,
}

#[derive(Debug, Clone, Copy, Deserialize)]
pub struct Interval {
    pub lower_bound: f64,
    pub upper_bound: f64,
}

#[derive(Debug)]
pub enum ReadError {
    /// No results directory at all.
    NoResults(PathBuf),
    /// The directory exists but holds no benchmark with this baseline.
    EmptyBaseline { dir: PathBuf, baseline: String },
    /// A file is missing, truncated or not the JSON Criterion writes.
    BadFile { path: PathBuf, problem: String },
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::NoResults(dir) => {
                write!(f, "no Criterion results in {}; run `cargo bench` first", dir.display())
            }
            ReadError::EmptyBaseline { dir, baseline } => write!(
                f,
                "baseline `{baseline}` has no results in {}; save it with `cargo bench -- --save-baseline {baseline}`",
                dir.display()
            ),
            ReadError::BadFile { path, problem } => {
                write!(f, "{}: {problem}; delete it and re-run the benchmark (`cargo bench`)", path.display())
            }
        }
    }
}

impl std::error::Error for ReadError {}

#[derive(Deserialize)]
struct BenchmarkFile {
    full_id: String,
    throughput: Option<CriterionThroughput>,
}

#[derive(Deserialize)]
enum CriterionThroughput {
    Bytes(u64),
    BytesDecimal(u64),
    Bits(u64),
    Elements(u64),
    ElementsAndBytes { elements: u64, bytes: u64 },
}

#[derive(Deserialize)]
struct EstimatesFile {
    mean: Estimate,
    median: Estimate,
}

#[derive(Deserialize)]
struct SampleFile {
    iters: Vec<f64>,
    times: Vec<f64>,
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, ReadError> {
    let bad = |problem: String| ReadError::BadFile { path: path.to_owned(), problem };
    let text = std::fs::read(path).map_err(|e| bad(e.to_string()))?;
    serde_json::from_slice(&text).map_err(|e| bad(format!("not Criterion's JSON ({e})")))
}

/// Every baseline's results under `dir`, in one walk: baseline name →
/// its measurements, sorted by id.
pub(crate) fn read_all(dir: &Path) -> Result<BTreeMap<String, Vec<Measurement>>, ReadError> {
    read(dir, None)
}

/// Every benchmark under `dir` that has results for `baseline` (`new` is the
/// latest run), sorted by id: for commands that read one baseline.
pub fn read_baseline(dir: &Path, baseline: &str) -> Result<Vec<Measurement>, ReadError> {
    read(dir, Some(baseline))?
        .remove(baseline)
        .ok_or_else(|| ReadError::EmptyBaseline { dir: dir.to_owned(), baseline: baseline.to_owned() })
}

/// The one walk of Criterion's tree: `<benchmark dirs…>/<baseline>/benchmark.json`.
fn read(dir: &Path, only: Option<&str>) -> Result<BTreeMap<String, Vec<Measurement>>, ReadError> {
    if !dir.is_dir() {
        return Err(ReadError::NoResults(dir.to_owned()));
    }
    let mut all: BTreeMap<String, Vec<Measurement>> = BTreeMap::new();
    let mut entries = walkdir::WalkDir::new(dir).min_depth(1).sort_by_file_name().into_iter();
    while let Some(entry) = entries.next() {
        let entry = entry.map_err(|e| ReadError::BadFile { path: dir.to_owned(), problem: e.to_string() })?;
        let name = entry.file_name().to_str().unwrap_or_default().to_owned();
        if !entry.file_type().is_dir() {
            continue;
        }
        if name == "report" {
            entries.skip_current_dir();
        } else if entry.path().join("benchmark.json").is_file() {
            if only.is_none_or(|b| b == name) {
                all.entry(name).or_default().push(read_one(entry.path())?);
            }
            entries.skip_current_dir();
        }
    }
    for measurements in all.values_mut() {
        measurements.sort_by(|a, b| a.id.cmp(&b.id));
    }
    Ok(all)
}

fn read_one(results: &Path) -> Result<Measurement, ReadError> {
    let benchmark: BenchmarkFile = read_json(&results.join("benchmark.json"))?;
    let estimates: EstimatesFile = read_json(&results.join("estimates.json"))?;
    let sample_path = results.join("sample.json");
    let sample: SampleFile = read_json(&sample_path)?;
    let bad = |problem: &str| ReadError::BadFile { path: sample_path.clone(), problem: problem.to_owned() };
    if sample.iters.len() != sample.times.len() || sample.iters.is_empty() {
        return Err(bad("`iters` and `times` are empty or of different lengths"));
    }
    let per_iteration: Vec<f64> = sample.times.iter().zip(&sample.iters).map(|(t, n)| t / n).collect();
    if per_iteration.iter().any(|t| !t.is_finite() || *t <= 0.0) {
        return Err(bad("holds a zero, negative or NaN time"));
    }
    let throughput = benchmark.throughput.map(|t| match t {
        CriterionThroughput::Bytes(n) | CriterionThroughput::BytesDecimal(n) => Throughput::Bytes(n),
        CriterionThroughput::Bits(n) => Throughput::Bytes(n / 8),
        CriterionThroughput::Elements(n) => Throughput::Elements(n),
        CriterionThroughput::ElementsAndBytes { elements, bytes } => Throughput::ElementsAndBytes { elements, bytes },
    });
    Ok(Measurement { id: benchmark.full_id, throughput, median: estimates.median, mean: estimates.mean, per_iteration })
}

/// `1.23 µs`, `456 ns`, `7.89 ms`.
pub fn format_time(ns: f64) -> String {
    let (value, unit) = match ns {
        n if n < 1e3 => (n, "ns"),
        n if n < 1e6 => (n / 1e3, "µs"),
        n if n < 1e9 => (n / 1e6, "ms"),
        n => (n / 1e9, "s"),
    };
    format!("{} {unit}", three_digits(value))
}

/// Throughput at `ns` per iteration: `436.9 Melem/s · 2.09 GiB/s`.
pub fn format_throughput(t: Throughput, ns: f64) -> String {
    let per_second = |n: u64| n as f64 * 1e9 / ns;
    let elements = |n: u64| {
        let r = per_second(n);
        let (v, unit) = match r {
            r if r < 1e3 => (r, "elem/s"),
            r if r < 1e6 => (r / 1e3, "Kelem/s"),
            r if r < 1e9 => (r / 1e6, "Melem/s"),
            r => (r / 1e9, "Gelem/s"),
        };
        format!("{} {unit}", three_digits(v))
    };
    let bytes = |n: u64| {
        let r = per_second(n);
        let (v, unit) = match r {
            r if r < 1024.0 => (r, "B/s"),
            r if r < 1024.0 * 1024.0 => (r / 1024.0, "KiB/s"),
            r if r < 1024.0 * 1024.0 * 1024.0 => (r / (1024.0 * 1024.0), "MiB/s"),
            r => (r / (1024.0 * 1024.0 * 1024.0), "GiB/s"),
        };
        format!("{} {unit}", three_digits(v))
    };
    match t {
        Throughput::Bytes(n) => bytes(n),
        Throughput::Elements(n) => elements(n),
        Throughput::ElementsAndBytes { elements: e, bytes: b } => format!("{} · {}", elements(e), bytes(b)),
        // An empty block or a rejected transaction: a rate of zero says nothing.
        Throughput::Gas(0) => "no gas used".into(),
        Throughput::Gas(n) => format!("{} MGas/s", three_digits(per_second(n) / 1e6)),
    }
}

/// Three significant digits.
pub(crate) fn three_digits(v: f64) -> String {
    match v {
        v if v >= 100.0 => format!("{v:.0}"),
        v if v >= 10.0 => format!("{v:.1}"),
        v => format!("{v:.2}"),
    }
}

/// Where Criterion writes its results: `$CRITERION_HOME`, else `criterion/` in the target directory.
pub fn criterion_dir() -> PathBuf {
    std::env::var_os("CRITERION_HOME")
        .map_or_else(|| crate::measure::output::target_dir().join("criterion"), PathBuf::from)
}

/// Where the machine a baseline was measured on is recorded.
pub(crate) fn machine_file(criterion_dir: &Path, baseline: &str) -> PathBuf {
    criterion_dir.join("ethbench-machine").join(format!("{baseline}.json"))
}

/// The machine recorded beside a Criterion baseline, if one was.
pub fn recorded_machine(criterion_dir: &Path, baseline: &str) -> Option<Machine> {
    let text = std::fs::read(machine_file(criterion_dir, baseline)).ok()?;
    serde_json::from_slice(&text).ok()
}
