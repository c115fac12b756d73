//! Criterion glue shared by every `benches/<group>/` target: one configuration,
//! one way to turn library workloads into Criterion benchmarks.
//!
//! [`main`] and [`prepare`] are the bodies of the bench binaries' `main`
//! (Criterion's and iai-callgrind's, whose closures cannot return errors),
//! so this is the one library module that ends the process on an error.

use std::time::Duration;

use criterion::{Criterion, SamplingMode};

use crate::data::Fixtures;
use crate::groups::GROUPS;
use crate::measure::error::exit_with;
use crate::measure::id::Id;
use crate::measure::machine::Machine;
use crate::measure::results::{criterion_dir, machine_file};
use crate::measure::workload::{verify_all, Select, Throughput, Workload, SLOW};

/// The suite's defaults. Criterion's own flags (`--measurement-time`,
/// `--sample-size`, `--warm-up-time`, …) win over them: the per-group
/// settings in [`register`] are applied only where the flag was not given.
///
/// Budget: the full suite (235 benchmarks) must finish in ~10 minutes on two
/// cores, so each gets 0.2 s of warm-up and 1.8 s of measurement, which is
/// 50 samples of many iterations for anything under a millisecond.
/// The noise threshold matches the comparator's 3% floor: smaller changes are
/// below what one run on a shared machine can resolve. Each group then takes
/// the largest of its benchmarks' calibrated one-run floors
/// (ci/unpaired-floors.json), so that `cargo bench -- --baseline main` and
/// `ethbench compare` draw the line in the same place.
///
/// Plots are off: drawing them took about 2 s of CPU per benchmark, more than
/// measuring. `-- --plotting-backend plotters` turns them (and the HTML
/// report) back on.
fn config(args: &Args) -> Criterion {
    Criterion::default()
        .without_plots()
        .warm_up_time(Duration::from_millis(200))
        .measurement_time(measurement(args))
        .sample_size(SAMPLES)
        .noise_threshold(0.03)
        .with_profiler(crate::measure::profile::CriterionProfiler::new(1000))
}

/// Criterion's command line, read the way Criterion reads it, for the
/// choices the suite makes before Criterion runs: which benchmarks to
/// prepare (`--list` prepares none; a filter only those it matches) and
/// which of the suite's per-group settings a flag overrides.
#[derive(Default)]
struct Args {
    /// `--flag value` and `--flag=value` options, by name.
    options: Vec<(String, String)>,
    switches: Vec<String>,
    filter: Option<String>,
}

/// Criterion 0.8's options that take a value (with their short forms and
/// aliases); every other `-`/`--` argument is a switch. The test below reads
/// them from Criterion's own source, so an upgrade that adds or changes one
/// fails `cargo test` instead of silently shifting a filter.
const VALUED: [&str; 20] = [
    "--color",
    "--colour",
    "-c",
    "--save-baseline",
    "-s",
    "--baseline",
    "-b",
    "--baseline-lenient",
    "--format",
    "--profile-time",
    "--load-baseline",
    "--sample-size",
    "--warm-up-time",
    "--measurement-time",
    "--nresamples",
    "--noise-threshold",
    "--confidence-level",
    "--significance-level",
    "--plotting-backend",
    "--output-format",
];

impl Args {
    fn from_env() -> Self {
        let mut args = Args { options: Vec::new(), switches: Vec::new(), filter: None };
        let mut it = std::env::args().skip(1);
        while let Some(a) = it.next() {
            if let Some((name, value)) = a.split_once('=').filter(|(n, _)| n.starts_with('-')) {
                args.options.push((name.to_owned(), value.to_owned()));
            } else if VALUED.contains(&a.as_str()) {
                let value = it.next().unwrap_or_default();
                args.options.push((a, value));
            } else if a.starts_with('-') {
                args.switches.push(a);
            } else if args.filter.is_none() {
                args.filter = Some(a);
            }
        }
        args
    }

    fn option(&self, name: &str) -> Option<&str> {
        self.options.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    fn switch(&self, name: &str) -> bool {
        self.switches.iter().any(|s| s == name)
    }

    /// Whether Criterion will run (or test) the benchmark `id`. Criterion
    /// panics on a filter that is not a regex; here it simply matches nothing.
    fn runs(&self, id: &str) -> bool {
        if self.switch("--list") || self.switch("--ignored") {
            return false;
        }
        match &self.filter {
            None => true,
            Some(f) if self.switch("--exact") => id == f,
            Some(f) => regex::Regex::new(f).is_ok_and(|r| r.is_match(id)),
        }
    }
}

/// Measurement time per benchmark: `--measurement-time`, else
/// `$ETHBENCH_MEASUREMENT_SECS`, else 1.8 s (see [`config`]).
fn measurement(args: &Args) -> Duration {
    args.option("--measurement-time")
        .map(str::to_owned)
        .or_else(|| std::env::var("ETHBENCH_MEASUREMENT_SECS").ok())
        .and_then(|s| s.parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s > 0.0)
        .map_or(Duration::from_millis(1800), Duration::from_secs_f64)
}

const SAMPLES: usize = 50;

/// Entry point of a bench binary: report the allocator, then run the group
/// the registry (`crate::groups::GROUPS`) names `group`.
pub fn main(group: &str) {
    eprintln!(
        "ethbench: global allocator is {}, keccak backend {}",
        crate::measure::alloc::ACTIVE,
        crate::measure::keccak_backend::ACTIVE
    );
    let args = Args::from_env();
    if !args.switch("--test") && !args.switch("--list") {
        record_machine(args.option("--save-baseline").or(args.option("-s")).unwrap_or("new"));
    }
    let mut c = config(&args).configure_from_args();
    let fx = Fixtures::open_default().unwrap_or_else(|e| exit_with(&e));
    let Some((_, build)) = GROUPS.iter().find(|(name, _)| *name == group) else {
        let names: Vec<&str> = GROUPS.iter().map(|(name, _)| *name).collect();
        exit_with(&format!(
            "no group `{group}` in the registry (src/groups/mod.rs); the groups are {}",
            names.join(", ")
        ))
    };
    let workloads = build(&fx, Select::ALL).unwrap_or_else(|e| exit_with(&e));
    register(&mut c, workloads, &args);
    c.final_summary();
}

/// `ethbench bench`: these workloads under the suite's configuration,
/// results beside `cargo bench`'s, optionally saved as or compared with a
/// named baseline.
pub fn run_workloads(workloads: Vec<Box<dyn Workload>>, save_baseline: Option<&str>, baseline: Option<&str>) {
    eprintln!(
        "ethbench: global allocator is {}, keccak backend {}",
        crate::measure::alloc::ACTIVE,
        crate::measure::keccak_backend::ACTIVE
    );
    // Criterion does not read this process's command line (it is ethbench's).
    let args = Args::default();
    let mut c = config(&args).output_directory(&criterion_dir());
    if let Some(name) = baseline {
        c = c.retain_baseline(name.to_owned(), true);
    }
    if let Some(name) = save_baseline {
        c = c.save_baseline(name.to_owned());
    }
    record_machine(save_baseline.unwrap_or("new"));
    register(&mut c, workloads, &args);
    c.final_summary();
}

/// Register workloads as Criterion benchmarks. Those Criterion will run
/// are prepared and verified first: a workload whose result is wrong is
/// refused, and nothing is timed. The others (`--list`, or not matching the
/// filter) are registered unprepared, so asking costs nothing; should
/// Criterion run one after all, it is verified before its first sample.
///
/// The Criterion group is the id's `group/case`, so `rlp/decode/u64_x1024`
/// and `rlp/decode/block_200tx` share one `rlp/decode` report.
fn register(c: &mut Criterion, workloads: Vec<Box<dyn Workload>>, args: &Args) {
    let (mut run, skip): (Vec<_>, Vec<_>) = workloads.into_iter().partition(|w| args.runs(w.id()));
    let single_run = verify_all(&mut run).unwrap_or_else(|e| exit_with(&e));
    let timed: Vec<Timed> =
        run.into_iter().zip(single_run.into_iter().map(Some)).chain(skip.into_iter().map(|w| (w, None))).collect();
    let (explicit_samples, explicit_time) =
        (args.option("--sample-size").is_some(), args.option("--measurement-time").is_some());
    let calibrated = calibrated_floors(args);
    for (group_name, members) in by_group(timed) {
        let mut group = c.benchmark_group(&group_name);
        let floors = members.iter().filter_map(|(_, (w, _))| calibrated.get(w.id()).copied());
        if let Some(floor) = floors.reduce(f64::max) {
            group.noise_threshold(floor);
        }
        for (name, (mut w, once)) in members {
            // Linear sampling needs 1 + 2 + … + 50 = 1275 iterations. Where
            // that does not fit the budget, sample flat (equal iterations per
            // sample); where even 50 iterations do not, take Criterion's
            // minimum of 10 samples.
            let budget = measurement(args);
            let (samples, mode, time) = match once {
                Some(once) if once > SLOW => (10, SamplingMode::Flat, once * 12),
                Some(once) if once * (SAMPLES * (SAMPLES + 1) / 2) as u32 > budget => {
                    (SAMPLES, SamplingMode::Flat, (once * (SAMPLES as u32 + 10)).max(budget))
                }
                _ => (SAMPLES, SamplingMode::Auto, budget),
            };
            group.sampling_mode(mode);
            if !explicit_samples {
                group.sample_size(samples);
            }
            if !explicit_time {
                group.measurement_time(time);
            }
            let mut verified = once.is_some();
            if verified {
                group.throughput(to_criterion(w.throughput()));
            }
            group.bench_function(name, |b| {
                if !verified {
                    w.verify().unwrap_or_else(|e| exit_with(&e));
                    verified = true;
                }
                b.iter_custom(|iters| w.time(iters).unwrap_or_else(|e| exit_with(&e)))
            });
            if verified {
                if let Some(notes) = w.notes() {
                    println!("{}: {notes}", w.id());
                }
            }
        }
        group.finish();
    }
}

/// A workload and how long its verified single run took (`None`: not prepared).
type Timed = (Box<dyn Workload>, Option<Duration>);

/// Workloads grouped by Criterion group (`group/case` of their ids), groups
/// in order of first appearance, each member with its function name (the input).
/// The committed one-run floors by benchmark id, unless `--noise-threshold` was given.
fn calibrated_floors(args: &Args) -> std::collections::BTreeMap<String, f64> {
    if args.option("--noise-threshold").is_some() {
        return Default::default();
    }
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(crate::judge::compare::calibrate::FILE);
    crate::judge::compare::calibrate::load(&path).ok().flatten().map(|f| f.floors).unwrap_or_default()
}

fn by_group(workloads: Vec<Timed>) -> Vec<(String, Vec<(String, Timed)>)> {
    let mut groups: Vec<(String, Vec<(String, Timed)>)> = Vec::new();
    for w in workloads {
        let id = Id::parse(w.0.id()).unwrap_or_else(|e| exit_with(&e));
        let name = id.criterion_group();
        match groups.iter_mut().find(|(g, _)| *g == name) {
            Some((_, members)) => members.push((id.input, w)),
            None => groups.push((name, vec![(id.input, w)])),
        }
    }
    groups
}

fn to_criterion(t: Throughput) -> criterion::Throughput {
    match t {
        Throughput::Bytes(n) => criterion::Throughput::Bytes(n),
        Throughput::Elements(n) | Throughput::Gas(n) => criterion::Throughput::Elements(n),
        Throughput::ElementsAndBytes { elements, bytes } => criterion::Throughput::ElementsAndBytes { elements, bytes },
    }
}

/// Record this machine beside the Criterion baseline this run writes
/// (`--save-baseline NAME`, else `new`), so comparisons can show both sides.
fn record_machine(baseline: &str) {
    let path = machine_file(&criterion_dir(), baseline);
    let json = serde_json::to_vec_pretty(&Machine::current()).expect("machine info serializes");
    if let Err(e) = crate::measure::output::write_file(&path, &json) {
        exit_with(&e);
    }
}

/// The workload `id`, verified, warmed up and reset, ready to run once: the
/// setup of an instruction-count (iai-callgrind) benchmark, which then
/// measures one [`Workload::run`]. Exits with a one-line error when it cannot.
///
/// The measured run is a steady-state one, as in the timing loop: the
/// fixtures are dropped first, then the operation runs once more, so every
/// block it allocates was just freed by a run of its own and comes back from
/// the allocator's per-size caches. Measured right after set-up instead, a
/// run paid whatever the allocator owed from set-up (glibc sorting its
/// unsorted bin: 16k instructions on a 37k header hash), and how much it owed
/// varied with the process's random hash seeds.
pub fn prepare(id: &str) -> Box<dyn Workload> {
    let mut w = {
        let fx = Fixtures::open_default().unwrap_or_else(|e| exit_with(&e));
        match crate::groups::workload(&fx, id) {
            Ok(Some(w)) => w,
            Ok(None) => exit_with(&format!("no workload `{id}`; `cargo run --release -- list` shows them all")),
            Err(e) => exit_with(&e),
        }
    };
    if let Err(e) = w.verify() {
        drop(w);
        exit_with(&e);
    }
    w.reset().unwrap_or_else(|e| exit_with(&e));
    w.run();
    w.reset().unwrap_or_else(|e| exit_with(&e));
    crate::measure::callgrind::start_instrumentation();
    w
}

/// The configuration of every twin (`main!(config = …)` in `benches/*/iai.rs`):
/// callgrind starts uninstrumented, and [`prepare`] switches it on once the
/// set-up is done, so set-up runs at valgrind's native pace (a 100k-account
/// state in a second or two rather than seven).
#[cfg(feature = "iai")]
pub fn iai_config() -> iai_callgrind::LibraryBenchmarkConfig {
    let mut config = iai_callgrind::LibraryBenchmarkConfig::default();
    config.tool(iai_callgrind::Callgrind::with_args(["--instr-atstart=no"]));
    config
}

#[cfg(test)]
mod tests {
    use super::VALUED;

    /// The valued options that Criterion's own command line declares: each
    /// `Arg` whose builder does not say `num_args(0)`, with its long name,
    /// short name and aliases. Read from the source of the Criterion that
    /// Cargo.lock pins (located with `cargo metadata`).
    fn criterions_valued_options() -> Vec<String> {
        let out = std::process::Command::new(env!("CARGO"))
            .args(["metadata", "--format-version", "1", "--locked", "--offline", "--manifest-path"])
            .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml"))
            .output()
            .expect("cargo metadata runs");
        assert!(out.status.success(), "cargo metadata: {}", String::from_utf8_lossy(&out.stderr));
        let metadata: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let manifest = metadata["packages"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == "criterion")
            .and_then(|p| p["manifest_path"].as_str())
            .expect("criterion is a dependency");
        let lib = std::path::Path::new(manifest).with_file_name("src").join("lib.rs");
        let source = std::fs::read_to_string(&lib).unwrap();
        let quoted = |text: &str, call: &str, quote: char| -> Vec<String> {
            text.match_indices(call)
                .filter_map(|(at, _)| text[at + call.len()..].split(quote).next().map(str::to_owned))
                .collect()
        };
        let mut valued = Vec::new();
        for arg in source.split(".arg(Arg::new(").skip(1) {
            let arg = arg.split(".after_help(").next().unwrap();
            if arg.contains(".num_args(0)") || arg.contains(".index(") {
                continue;
            }
            let longs = quoted(arg, ".long(\"", '"').into_iter().chain(quoted(arg, ".alias(\"", '"'));
            valued.extend(longs.map(|l| format!("--{l}")));
            valued.extend(quoted(arg, ".short('", '\'').into_iter().map(|s| format!("-{s}")));
        }
        valued.sort();
        valued
    }

    #[test]
    fn the_valued_options_are_criterions() {
        let mut ours: Vec<String> = VALUED.iter().map(|s| (*s).to_owned()).collect();
        ours.sort();
        let theirs = criterions_valued_options();
        assert!(theirs.len() > 10, "found only {theirs:?} in Criterion's source: has its command line moved?");
        assert_eq!(ours, theirs, "Criterion's valued options changed: update VALUED in src/judge/bench_target.rs");
    }
}
