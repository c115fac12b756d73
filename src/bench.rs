//! Criterion glue shared by every `benches/<group>/` target: one configuration,
//! one way to turn library workloads into Criterion benchmarks.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use criterion::{Criterion, SamplingMode};

use crate::error::exit_with;
use crate::machine::Machine;
use crate::{Builder, Fixtures, Select, Throughput, Workload};

/// The suite's defaults. Criterion's own flags (`--measurement-time`,
/// `--sample-size`, `--warm-up-time`, …) win over them: the per-group
/// settings in [`register`] are applied only where the flag was not given.
///
/// Budget: about 200 benchmarks in the full suite must finish in ~10 minutes on
/// two cores, so each gets 0.5 s of warm-up and 2 s of measurement, which is
/// 50 samples of many iterations for anything under a millisecond.
/// The noise threshold matches the comparator's 3% floor: smaller changes are
/// below what one run on a shared machine can resolve.
///
/// Plots are off: drawing them took about 2 s of CPU per benchmark, more than
/// measuring. `-- --plotting-backend plotters` turns them (and the HTML
/// report) back on.
pub fn config() -> Criterion {
    Criterion::default()
        .without_plots()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(measurement())
        .sample_size(SAMPLES)
        .noise_threshold(0.03)
        .with_profiler(crate::profile::CriterionProfiler::new(1000))
}

/// The value of a Criterion flag given on the command line (`--flag V` or `--flag=V`).
fn flag(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter().enumerate().find_map(|(i, a)| {
        if a == name {
            args.get(i + 1).cloned()
        } else {
            a.strip_prefix(name).and_then(|rest| rest.strip_prefix('=')).map(str::to_owned)
        }
    })
}

/// Measurement time per benchmark: `--measurement-time`, else
/// `$ETHBENCH_MEASUREMENT_SECS`, else 2 s.
fn measurement() -> Duration {
    flag("--measurement-time")
        .or_else(|| std::env::var("ETHBENCH_MEASUREMENT_SECS").ok())
        .and_then(|s| s.parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s > 0.0)
        .map_or(Duration::from_secs(2), Duration::from_secs_f64)
}

const SAMPLES: usize = 50;
/// A workload whose single run takes longer than this is sampled flat, 10 times.
const SLOW: Duration = Duration::from_millis(20);

/// Entry point of a bench binary: report the allocator, then run each group.
pub fn main(groups: &[Builder]) {
    eprintln!("ethbench: global allocator is {}", crate::alloc::ACTIVE);
    record_machine();
    let mut c = config().configure_from_args();
    let fx = Fixtures::open_default().unwrap_or_else(|e| exit_with(&e));
    for build in groups {
        let workloads = build(&fx, Select::ALL).unwrap_or_else(|e| exit_with(&e));
        register(&mut c, workloads);
    }
    c.final_summary();
}

/// Verify every workload, returning how long each single verified run took.
/// On the first wrong result every workload is dropped (some own temporary
/// databases) and its one-line error returned.
pub fn verify_all(workloads: &mut Vec<Box<dyn Workload>>) -> Result<Vec<Duration>, crate::Error> {
    let mut single_run = Vec::with_capacity(workloads.len());
    for w in workloads.iter_mut() {
        let start = Instant::now();
        if let Err(e) = w.verify() {
            workloads.clear();
            return Err(e);
        }
        single_run.push(start.elapsed());
    }
    Ok(single_run)
}

/// `ethbench bench`: these workloads under the suite's configuration,
/// results beside `cargo bench`'s, optionally saved as or compared with a
/// named baseline.
pub fn run_workloads(workloads: Vec<Box<dyn Workload>>, save_baseline: Option<&str>, baseline: Option<&str>) {
    eprintln!("ethbench: global allocator is {}", crate::alloc::ACTIVE);
    let mut c = config().output_directory(&criterion_dir());
    if let Some(name) = baseline {
        c = c.retain_baseline(name.to_owned(), true);
    }
    if let Some(name) = save_baseline {
        c = c.save_baseline(name.to_owned());
    }
    record_machine();
    register(&mut c, workloads);
    c.final_summary();
}

/// Register workloads as Criterion benchmarks. All are verified first: a
/// workload whose result is wrong is refused, and nothing is timed.
///
/// The Criterion group is the id up to its last `/`, so `rlp/decode/u64_x1024`
/// and `rlp/decode/block_200tx` share one `rlp/decode` report.
pub fn register(c: &mut Criterion, mut workloads: Vec<Box<dyn Workload>>) {
    let single_run = verify_all(&mut workloads).unwrap_or_else(|e| exit_with(&e));
    let timed: Vec<Timed> = workloads.into_iter().zip(single_run).collect();
    let (explicit_samples, explicit_time) = (flag("--sample-size").is_some(), flag("--measurement-time").is_some());
    for (group_name, members) in by_group(timed) {
        let mut group = c.benchmark_group(&group_name);
        for (mut w, once) in members {
            // Linear sampling needs 1 + 2 + … + 50 = 1275 iterations. Where
            // that does not fit the budget, sample flat (equal iterations per
            // sample); where even 50 iterations do not, take Criterion's
            // minimum of 10 samples.
            let budget = measurement();
            let linear = once * (SAMPLES * (SAMPLES + 1) / 2) as u32;
            let (samples, mode, time) = if once > SLOW {
                (10, SamplingMode::Flat, once * 12)
            } else if linear > budget {
                (SAMPLES, SamplingMode::Flat, (once * (SAMPLES as u32 + 10)).max(budget))
            } else {
                (SAMPLES, SamplingMode::Auto, budget)
            };
            group.sampling_mode(mode);
            if !explicit_samples {
                group.sample_size(samples);
            }
            if !explicit_time {
                group.measurement_time(time);
            }
            group.throughput(to_criterion(w.throughput()));
            let name = w.id()[group_name.len() + 1..].to_owned();
            group.bench_function(name, |b| b.iter_custom(|iters| w.time(iters)));
            if let Some(notes) = w.notes() {
                println!("{}: {notes}", w.id());
            }
        }
        group.finish();
    }
}

type Timed = (Box<dyn Workload>, Duration);

/// Workloads grouped by the id up to the last `/`, groups in order of first appearance.
fn by_group(workloads: Vec<Timed>) -> Vec<(String, Vec<Timed>)> {
    let mut groups: Vec<(String, Vec<Timed>)> = Vec::new();
    for w in workloads {
        let name = match w.0.id().rsplit_once('/') {
            Some((group, _)) => group.to_owned(),
            None => exit_with(&format!("workload id `{}` has no `/`; ids are group/case/input", w.0.id())),
        };
        match groups.iter_mut().find(|(g, _)| *g == name) {
            Some((_, members)) => members.push(w),
            None => groups.push((name, vec![w])),
        }
    }
    groups
}

fn to_criterion(t: Throughput) -> criterion::Throughput {
    match t {
        Throughput::Bytes(n) => criterion::Throughput::Bytes(n),
        Throughput::Elements(n) => criterion::Throughput::Elements(n),
        Throughput::ElementsAndBytes { elements, bytes } => criterion::Throughput::ElementsAndBytes { elements, bytes },
    }
}

/// Cargo's target directory: `$CARGO_TARGET_DIR`, else `target/` of this crate.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"))
}

/// Where Criterion writes its results: `$CRITERION_HOME`, else `criterion/` in the target directory.
pub fn criterion_dir() -> PathBuf {
    std::env::var_os("CRITERION_HOME").map_or_else(|| target_dir().join("criterion"), PathBuf::from)
}

/// Where the machine a baseline was measured on is recorded.
pub fn machine_file(criterion_dir: &Path, baseline: &str) -> PathBuf {
    criterion_dir.join("ethbench-machine").join(format!("{baseline}.json"))
}

/// Record this machine beside the Criterion baseline this run writes
/// (`--save-baseline NAME`, else `new`), so comparisons can show both sides.
fn record_machine() {
    let args: Vec<String> = std::env::args().collect();
    if args.iter().any(|a| a == "--test" || a == "--list") {
        return;
    }
    let baseline = args
        .iter()
        .position(|a| a == "--save-baseline" || a == "-s")
        .and_then(|i| args.get(i + 1))
        .map_or("new", String::as_str);
    let path = machine_file(&criterion_dir(), baseline);
    let json = serde_json::to_vec_pretty(&Machine::current()).expect("machine info serializes");
    if let Err(e) = crate::output::write_file(&path, &json) {
        exit_with(&e);
    }
}

/// The workload `id`, verified and reset, ready to run once: the setup of
/// an instruction-count (iai-callgrind) benchmark, which then measures one
/// [`Workload::run`]. Exits with a one-line error when it cannot.
pub fn prepare(id: &str) -> Box<dyn Workload> {
    let fx = Fixtures::open_default().unwrap_or_else(|e| exit_with(&e));
    let mut w = match crate::workload(&fx, id) {
        Ok(Some(w)) => w,
        Ok(None) => exit_with(&format!("no workload `{id}`; `cargo run --release -- list` shows them all")),
        Err(e) => exit_with(&e),
    };
    if let Err(e) = w.verify() {
        drop(w);
        exit_with(&e);
    }
    w.reset();
    w
}
