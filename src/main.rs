//! `ethbench`: list the workloads, run one in a loop (the process to point
//! `perf`, `valgrind` or `samply` at), or print Criterion's results as a table.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use clap::{Parser, Subcommand};
use ethbench::error::exit_with;
use ethbench::results::{format_throughput, format_time, read_baseline};
use ethbench::{Fixtures, Workload};

#[derive(Parser)]
#[command(name = "ethbench", version, about = "Benchmarks for the hot paths of an Ethereum execution client")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// List every workload with its description.
    List {
        /// Print a Markdown table (as in the README).
        #[arg(long)]
        markdown: bool,
        /// Add allocations and bytes per op, counted once per workload (needs `--features heap`).
        #[arg(long)]
        allocs: bool,
    },
    /// Describe the fixtures from their manifest, as a Markdown table.
    Fixtures,
    /// Verify one workload, then run it in a loop and print the time per op.
    /// `evm/bytecode` and `rlp/block` run your own inputs (see `--code`, `--input`).
    Run {
        /// Workload id, e.g. `rlp/decode/block_200tx` (see `ethbench list`), or `evm/bytecode`, `rlp/block`.
        workload: String,
        /// Number of iterations (of each workload).
        #[arg(long, conflicts_with = "duration")]
        iters: Option<u64>,
        /// Run for this many seconds instead (default 5, shared by the workloads of an input).
        #[arg(long, value_parser = parse_seconds)]
        duration: Option<f64>,
        #[command(flatten)]
        input: InputArgs,
        #[command(flatten)]
        profile: ProfileArgs,
    },
    /// Benchmark one workload, or your own input, under Criterion, with the
    /// suite's settings; results go beside `cargo bench`'s, for `compare`.
    Bench {
        /// Workload id (or id prefix), or `evm/bytecode`, `rlp/block`.
        workload: String,
        #[command(flatten)]
        input: InputArgs,
        /// Save the results as this Criterion baseline.
        #[arg(long)]
        save_baseline: Option<String>,
        /// Compare with this saved Criterion baseline.
        #[arg(long)]
        baseline: Option<String>,
    },
    /// Judge one set of Criterion results against another: exit 0 when nothing
    /// regressed, 1 when a regression is confirmed, 2 when the input is unusable.
    Compare {
        /// Base side: baseline names, comma-separated, each may end in `*` (`ab-base-*`).
        #[arg(long)]
        base: String,
        /// New side, same form (`new` is Criterion's latest run).
        #[arg(long, default_value = "new")]
        new: String,
        /// Smallest change reported, in percent.
        #[arg(long, default_value_t = 3.0, value_parser = parse_percent)]
        floor: f64,
        /// A floor for benchmarks whose id starts with PREFIX: `PREFIX=PERCENT` (repeatable).
        #[arg(long = "floor-for", value_parser = parse_floor_for)]
        floors: Vec<(String, f64)>,
        /// Criterion's output directory.
        #[arg(long)]
        criterion_dir: Option<PathBuf>,
        #[command(flatten)]
        reports: Reports,
    },
    /// Paired A/B of two builds of `ethbench`: both run at once and time
    /// alternate ~20 ms chunks of each workload, so machine noise hits both
    /// alike. Exit 0 when nothing regressed, 1 on a confirmed regression, 2
    /// when the run failed. `ci/compare.sh` builds the two sides and calls this.
    Ab {
        /// The base build's `ethbench` binary.
        #[arg(long)]
        base: PathBuf,
        /// The head build's `ethbench` binary.
        #[arg(long)]
        head: PathBuf,
        /// Only workloads whose id starts with this.
        filter: Option<String>,
        /// Smallest change reported, in percent.
        #[arg(long, default_value_t = 2.0, value_parser = parse_percent)]
        floor: f64,
        /// A floor for benchmarks whose id starts with PREFIX: `PREFIX=PERCENT` (repeatable).
        #[arg(long = "floor-for", value_parser = parse_floor_for)]
        floors: Vec<(String, f64)>,
        /// Measurement budget in seconds for the whole run (preparation not counted).
        #[arg(long, default_value_t = 900.0, value_parser = parse_seconds)]
        budget: f64,
        /// Most rounds (each a fresh pair of processes) per benchmark.
        #[arg(long, default_value_t = 24)]
        max_rounds: usize,
        /// Plant a change on the head side, `PREFIX=uniform:PERCENT` or
        /// `PREFIX=amortized:EVERY` (repeatable; the head must be built with `--features plant`).
        #[arg(long = "plant", value_parser = parse_labelled)]
        plants: Vec<(String, String)>,
        #[command(flatten)]
        reports: Reports,
    },
    /// main's history: record a run, or render the trend page and summary
    /// and check for slow creep (exit 1 when a benchmark crept).
    History {
        #[command(subcommand)]
        action: HistoryAction,
    },
    /// The worker end of `ethbench ab`: requests on stdin, replies on stdout.
    #[command(hide = true)]
    Worker,
    /// One table of several sides against a base (allocators, toolchains):
    /// time per side and change against the base, judged by the comparator's rule.
    Table {
        /// The base side: `LABEL=BASELINES` (`system=alloc-system-*`).
        #[arg(long, value_parser = parse_labelled)]
        base: (String, String),
        /// Another side, same form (repeatable).
        #[arg(long = "side", value_parser = parse_labelled, required = true)]
        sides: Vec<(String, String)>,
        /// Smallest change called real, in percent.
        #[arg(long, default_value_t = 3.0, value_parser = parse_percent)]
        floor: f64,
        /// Criterion's output directory.
        #[arg(long)]
        criterion_dir: Option<PathBuf>,
    },
    /// Instruction counts: save iai-callgrind's latest run as the committed
    /// baseline, or check the latest run against it (see scripts/iai.sh).
    Iai {
        #[command(subcommand)]
        action: IaiAction,
    },
    /// Per-opcode cost (baseline program subtracted) and MGas/s of the EVM
    /// workloads, from a Criterion run of `cargo bench --bench evm`.
    Opcodes {
        /// Criterion baseline: `new` is the latest run, or a name saved with `--save-baseline`.
        #[arg(long, default_value = "new")]
        baseline: String,
        /// Criterion's output directory.
        #[arg(long)]
        criterion_dir: Option<PathBuf>,
    },
    /// Print Criterion's results for one baseline as a Markdown table.
    Report {
        /// Criterion baseline: `new` is the latest run, or a name saved with `--save-baseline`.
        #[arg(long, default_value = "new")]
        baseline: String,
        /// Criterion's output directory.
        #[arg(long)]
        criterion_dir: Option<PathBuf>,
        /// Only benchmarks whose id starts with this.
        prefix: Option<String>,
    },
}

/// Where a comparison's reports go, and the instruction counts it also judges.
#[derive(clap::Args)]
struct Reports {
    /// Write the pull-request comment (Markdown) here (`-`: standard output).
    #[arg(long)]
    markdown: Option<PathBuf>,
    /// Write the full comparison as JSON here.
    #[arg(long)]
    json: Option<PathBuf>,
    /// Write the new (head) side in Bencher Metric Format here.
    #[arg(long)]
    bmf: Option<PathBuf>,
    /// Also judge the latest iai-callgrind run (target/iai) against this
    /// instruction-count baseline: a count that rose past its tolerance is a
    /// regression, whatever the times say.
    #[arg(long)]
    iai_baseline: Option<PathBuf>,
}

#[derive(clap::Args)]
struct ProfileArgs {
    /// Sample the CPU with pprof and write a flamegraph SVG.
    #[arg(long)]
    flame: bool,
    /// Where the flamegraph goes.
    #[arg(long, default_value = "flamegraph.svg", requires = "flame")]
    flame_output: PathBuf,
    /// Samples per second.
    #[arg(long, default_value_t = 1000, value_parser = parse_frequency, requires = "flame")]
    flame_frequency: i32,
    /// Profile only the first SECS of the run.
    #[arg(long, value_parser = parse_seconds, requires = "flame")]
    flame_duration: Option<f64>,
    /// Count allocations with dhat: allocations and bytes per op, peak live
    /// bytes, and a dhat-heap.json for the DHAT viewer (needs `--features heap`).
    #[arg(long)]
    heap: bool,
    /// Where dhat's profile goes.
    #[arg(long, default_value = "dhat-heap.json", requires = "heap")]
    heap_output: PathBuf,
}

/// Your own inputs, for `evm/bytecode` and `rlp/block`.
#[derive(clap::Args, Default)]
struct InputArgs {
    /// evm/bytecode: runtime bytecode, as hex text (`0x` optional, whitespace ignored) or raw bytes.
    #[arg(long)]
    code: Option<PathBuf>,
    /// evm/bytecode: calldata as hex (default: none).
    #[arg(long)]
    calldata: Option<String>,
    /// evm/bytecode: gas limit of the call (default 16,000,000).
    #[arg(long)]
    gas_limit: Option<u64>,
    /// evm/bytecode: wei sent with the call.
    #[arg(long, value_parser = parse_wei)]
    value: Option<alloy_primitives::U256>,
    /// rlp/block: the block, RLP as hex text or raw bytes.
    #[arg(long)]
    input: Option<PathBuf>,
    /// rlp/block: the block's receipts (an RLP list, hex or raw), to compute the receipts root.
    #[arg(long)]
    receipts: Option<PathBuf>,
}

impl InputArgs {
    fn given(&self) -> Option<&'static str> {
        [
            (self.code.is_some(), "--code"),
            (self.calldata.is_some(), "--calldata"),
            (self.gas_limit.is_some(), "--gas-limit"),
            (self.value.is_some(), "--value"),
            (self.input.is_some(), "--input"),
            (self.receipts.is_some(), "--receipts"),
        ]
        .into_iter()
        .find_map(|(given, flag)| given.then_some(flag))
    }
}

fn parse_wei(s: &str) -> Result<alloy_primitives::U256, String> {
    s.parse().map_err(|_| format!("`{s}` is not an amount of wei"))
}

/// The workloads `id` names: a built-in one, or those on the user's input,
/// printing what the input's first run computed.
fn resolve(id: &str, input: &InputArgs) -> Vec<Box<dyn Workload>> {
    use ethbench::inputs::{block, bytecode};
    let prepared = match id {
        "evm/bytecode" => {
            let Some(code) = input.code.clone() else {
                exit_with(&"evm/bytecode needs --code FILE (runtime bytecode, hex or raw)")
            };
            if input.input.is_some() || input.receipts.is_some() {
                exit_with(&"--input and --receipts are for rlp/block, not evm/bytecode");
            }
            let args = bytecode::BytecodeInput {
                code,
                calldata: input.calldata.clone().unwrap_or_default(),
                gas_limit: input.gas_limit,
                value: input.value,
            };
            bytecode::workload(&args).map(|(w, report)| (vec![w], report))
        }
        "rlp/block" => {
            let Some(path) = input.input.clone() else {
                exit_with(&"rlp/block needs --input FILE (a block as RLP, hex or raw)")
            };
            if input.code.is_some() || input.calldata.is_some() || input.gas_limit.is_some() || input.value.is_some() {
                exit_with(&"--code, --calldata, --gas-limit and --value are for evm/bytecode, not rlp/block");
            }
            block::workloads(&block::BlockInput { input: path, receipts: input.receipts.clone() })
        }
        _ => {
            if let Some(flag) = input.given() {
                exit_with(&format!(
                    "{flag} is for your own inputs: use it with `evm/bytecode` or `rlp/block`, not `{id}`"
                ));
            }
            return vec![find(id)];
        }
    };
    let (workloads, report) = prepared.unwrap_or_else(|e| exit_with(&e));
    println!("{report}");
    workloads
}

#[derive(Subcommand)]
enum HistoryAction {
    /// Write a record of a Criterion baseline into the history directory.
    Record {
        /// The history directory (a checkout of the `bench-history` branch).
        #[arg(long)]
        dir: PathBuf,
        /// The commit the baseline measured.
        #[arg(long)]
        commit: String,
        /// Criterion baseline to record.
        #[arg(long, default_value = "main")]
        baseline: String,
        /// Criterion's output directory.
        #[arg(long)]
        criterion_dir: Option<PathBuf>,
    },
    /// Render the trend page (HTML) and the summary (Markdown), and check for creep.
    Render {
        /// The history directory.
        #[arg(long)]
        dir: PathBuf,
        /// Write the trend page here.
        #[arg(long)]
        html: Option<PathBuf>,
        /// Write the Markdown summary here (`-`: standard output).
        #[arg(long)]
        markdown: Option<PathBuf>,
        /// Runs on each side of the creep check.
        #[arg(long, default_value_t = 5)]
        window: usize,
        /// How many runs back the earlier side ends.
        #[arg(long, default_value_t = 10)]
        lag: usize,
        /// Smallest creep reported, in percent.
        #[arg(long, default_value_t = 3.0, value_parser = parse_percent)]
        floor: f64,
    },
}

#[derive(Subcommand)]
enum IaiAction {
    /// Write ci/iai-baseline.json from the summaries of the latest run.
    Save,
    /// Compare the latest run with ci/iai-baseline.json: exit 1 if a count
    /// rose past its tolerance, a benchmark did not run, or one is new.
    Check {
        /// Fail only when a benchmark did not run or has no baseline; print
        /// the moved counts without failing. For a machine other than the
        /// one that took the baseline: glibc picks memcpy by CPU and cache
        /// size, so counts there are not comparable.
        #[arg(long)]
        report: bool,
        /// Only these groups must have run (evm, rlp, trie, recovery, db); default all.
        groups: Vec<String>,
    },
}

fn parse_percent(s: &str) -> Result<f64, String> {
    match s.trim_end_matches('%').parse::<f64>() {
        Ok(v) if (0.0..100.0).contains(&v) => Ok(v / 100.0),
        _ => Err(format!("`{s}` is not a percentage between 0 and 100")),
    }
}

fn parse_floor_for(s: &str) -> Result<(String, f64), String> {
    let (prefix, percent) = s.split_once('=').ok_or_else(|| format!("`{s}` is not PREFIX=PERCENT"))?;
    Ok((prefix.to_owned(), parse_percent(percent)?))
}

fn parse_labelled(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((label, spec)) if !label.is_empty() && !spec.is_empty() => Ok((label.to_owned(), spec.to_owned())),
        _ => Err(format!("`{s}` is not LABEL=BASELINES")),
    }
}

fn parse_frequency(s: &str) -> Result<i32, String> {
    match s.parse::<i32>() {
        Ok(v) if v > 0 => Ok(v),
        _ => Err(format!("`{s}` is not a positive number of samples per second")),
    }
}

fn parse_seconds(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v > 0.0 && v.is_finite() => Ok(v),
        _ => Err(format!("`{s}` is not a positive number of seconds")),
    }
}

fn main() {
    let cli = Cli::try_parse().unwrap_or_else(|e| {
        use clap::error::ErrorKind;
        if matches!(
            e.kind(),
            ErrorKind::DisplayHelp | ErrorKind::DisplayVersion | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
        ) {
            e.exit();
        }
        // One line: clap's message up to its usage hint, folded.
        let text = e.to_string();
        let message: Vec<&str> =
            text.lines().map(str::trim).take_while(|l| !l.is_empty() && !l.starts_with("Usage:")).collect();
        let message = message.join(" ");
        exit_with(&format!("{} (see `ethbench --help`)", message.trim_start_matches("error: ")))
    });
    match cli.command {
        Command::List { markdown, allocs } => list(markdown, allocs),
        Command::Fixtures => fixtures(),
        Command::Run { workload, iters, duration, input, profile } => run(&workload, iters, duration, &input, &profile),
        Command::Bench { workload, input, save_baseline, baseline } => {
            let workloads = match workload.as_str() {
                "evm/bytecode" | "rlp/block" => resolve(&workload, &input),
                prefix => {
                    if let Some(flag) = input.given() {
                        exit_with(&format!("{flag} is for your own inputs: use it with `evm/bytecode` or `rlp/block`"));
                    }
                    let picked: Vec<_> = all_workloads().into_iter().filter(|w| w.id().starts_with(prefix)).collect();
                    if picked.is_empty() {
                        find(prefix);
                    }
                    picked
                }
            };
            if let Some(name) = &baseline {
                // Criterion would panic on a baseline it does not have.
                let saved = read_baseline(&ethbench::bench::criterion_dir(), name).unwrap_or_else(|e| exit_with(&e));
                if let Some(w) = workloads.iter().find(|w| !saved.iter().any(|m| m.id == w.id())) {
                    exit_with(&format!(
                        "baseline `{name}` has no results for {}; save one first with `ethbench bench {workload} … --save-baseline {name}`",
                        w.id()
                    ));
                }
            }
            ethbench::bench::run_workloads(workloads, save_baseline.as_deref(), baseline.as_deref());
        }
        Command::Compare { base, new, floor, floors, criterion_dir, reports } => {
            let rule = ethbench::compare::Rule { floor, floors, ..Default::default() };
            std::process::exit(compare(&base, &new, rule, &reports, criterion_dir))
        }
        Command::Ab { base, head, filter, floor, floors, budget, max_rounds, plants, reports } => {
            let mut options = ethbench::ab::Options {
                filter,
                budget: Duration::from_secs_f64(budget),
                max_rounds: max_rounds.max(2),
                plants,
                ..Default::default()
            };
            options.rule.floor = floor;
            options.rule.floors = floors;
            std::process::exit(ab(&base, &head, &options, &reports))
        }
        Command::History { action } => std::process::exit(history(action)),
        Command::Worker => {
            let stdin = std::io::stdin().lock();
            ethbench::ab::worker::serve(stdin, std::io::stdout().lock()).unwrap_or_else(|e| exit_with(&e));
        }
        Command::Table { base, sides, floor, criterion_dir } => table(&base, &sides, floor, criterion_dir),
        Command::Iai { action } => std::process::exit(iai(action)),
        Command::Opcodes { baseline, criterion_dir } => opcodes(&baseline, criterion_dir),
        Command::Report { baseline, criterion_dir, prefix } => report(&baseline, criterion_dir, prefix.as_deref()),
    }
}

fn all_workloads() -> Vec<Box<dyn Workload>> {
    let fx = Fixtures::open_default().unwrap_or_else(|e| exit_with(&e));
    ethbench::all_workloads(&fx).unwrap_or_else(|e| exit_with(&e))
}

fn list(markdown: bool, allocs: bool) {
    if allocs && !cfg!(feature = "heap") {
        exit_with(
            &"--allocs needs dhat as the global allocator: run `cargo run --release --features heap -- list --allocs`",
        );
    }
    let mut all = all_workloads();
    // Allocations of one run (after a warm-up run), outside any timed loop.
    let figures: Vec<Option<ethbench::heap::HeapFigures>> =
        all.iter_mut().map(|w| heap_figures(w.as_mut(), allocs)).collect();
    let cells = |f: &Option<ethbench::heap::HeapFigures>| {
        f.map_or(String::new(), |f| format!(" {:.0} | {:.0} |", f.allocations_per_op, f.bytes_per_op))
    };
    if markdown {
        println!("| benchmark | what one iteration does |{}", if allocs { " allocs/op | bytes/op |" } else { "" });
        println!("|---|---|{}", if allocs { "---:|---:|" } else { "" });
        for (w, f) in all.iter().zip(&figures) {
            println!("| `{}` | {} |{}", w.id(), w.about(), cells(f));
        }
    } else {
        let width = all.iter().map(|w| w.id().len()).max().unwrap_or(0);
        for (w, f) in all.iter().zip(&figures) {
            let counts = f.map_or(String::new(), |f| {
                format!("  [{:.0} allocs, {:.0} B per op]", f.allocations_per_op, f.bytes_per_op)
            });
            println!("{:width$}  {}{counts}", w.id(), w.about());
        }
    }
}

#[cfg(feature = "heap")]
fn heap_figures(w: &mut dyn Workload, wanted: bool) -> Option<ethbench::heap::HeapFigures> {
    if !wanted {
        return None;
    }
    let _profiler = dhat::Profiler::builder().testing().build();
    if let Err(e) = w.verify() {
        exit_with(&e);
    }
    Some(ethbench::heap::measure(w, 1))
}

#[cfg(not(feature = "heap"))]
fn heap_figures(_: &mut dyn Workload, _: bool) -> Option<ethbench::heap::HeapFigures> {
    None
}

fn fixtures() {
    let fx = Fixtures::open_default().unwrap_or_else(|e| exit_with(&e));
    let manifest = fx.manifest();
    println!("Seed `{:#x}`; regenerate with `{}`.", manifest.seed, manifest.generator);
    println!();
    println!("| file | bytes | sha256 | what it is | shape |");
    println!("|---|---|---|---|---|");
    for (name, entry) in &manifest.files {
        let shape = serde_json::to_string(&entry.shape).unwrap_or_default().replace('|', "\\|");
        println!("| `{name}` | {} | `{}…` | {} | `{shape}` |", entry.bytes, &entry.sha256[..12], entry.about);
    }
}

/// The workload named `id` (preparing no other), or an error that lists the closest names.
fn find(id: &str) -> Box<dyn Workload> {
    let fx = Fixtures::open_default().unwrap_or_else(|e| exit_with(&e));
    if let Some(w) = ethbench::workload(&fx, id).unwrap_or_else(|e| exit_with(&e)) {
        return w;
    }
    let all = all_workloads();
    let mut close: Vec<(usize, &str)> = all.iter().map(|w| (edit_distance(id, w.id()), w.id())).collect();
    close.sort();
    let names: Vec<&str> = close.iter().take_while(|(d, _)| *d <= id.len() / 2).take(3).map(|(_, id)| *id).collect();
    let hint = if names.is_empty() { String::new() } else { format!("; did you mean {}?", names.join(", ")) };
    exit_with(&format!("no workload `{id}`{hint}; `ethbench list` shows them all"))
}

/// Levenshtein distance, for suggesting workload names.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = diagonal + usize::from(ca != *cb);
            diagonal = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
}

fn run(id: &str, iters: Option<u64>, duration: Option<f64>, input: &InputArgs, profile: &ProfileArgs) {
    if profile.flame {
        ethbench::profile::check_writable(&profile.flame_output).unwrap_or_else(|e| exit_with(&e));
    }
    if profile.heap {
        if !cfg!(feature = "heap") {
            exit_with(&format!(
                "--heap needs dhat as the global allocator: run `cargo run --release --features heap -- run {id} --heap`"
            ));
        }
        ethbench::profile::check_writable(&profile.heap_output).unwrap_or_else(|e| exit_with(&e));
    }
    let mut workloads = resolve(id, input);
    // Read the clock about once a millisecond, so it stays out of the profile.
    let batches: Vec<u64> = ethbench::bench::verify_all(&mut workloads)
        .unwrap_or_else(|e| exit_with(&e))
        .iter()
        .map(|once| (1_000_000 / once.as_nanos().max(1)).clamp(1, 1024) as u64)
        .collect();
    eprintln!("ethbench: global allocator is {}", ethbench::alloc::ACTIVE);

    #[cfg(feature = "heap")]
    let heap = profile.heap.then(|| dhat::Profiler::builder().file_name(&profile.heap_output).build());
    let mut flame =
        profile.flame.then(|| ethbench::profile::start(profile.flame_frequency).unwrap_or_else(|e| exit_with(&e)));
    let flame_limit = profile.flame_duration.map(Duration::from_secs_f64);
    let write_flame = |guard: pprof::ProfilerGuard<'static>| {
        ethbench::profile::write_flamegraph(&guard, &profile.flame_output).unwrap_or_else(|e| exit_with(&e));
        eprintln!("ethbench: flamegraph written to {}", profile.flame_output.display());
    };

    // The duration is shared by the workloads of an input.
    let limit = Duration::from_secs_f64(duration.unwrap_or(5.0) / workloads.len() as f64);
    let started = Instant::now();
    for (w, batch) in workloads.iter_mut().zip(batches) {
        let id = w.id().to_owned();
        let stateful = w.needs_reset();
        if stateful {
            eprintln!("ethbench: {id} changes state; it is reset before each run, and only runs are timed");
        }
        #[cfg(feature = "heap")]
        let before = heap.as_ref().map(|_| dhat::HeapStats::get());
        let wall = Instant::now();
        let mut timed = Duration::ZERO;
        let mut done = 0u64;
        while iters.map_or(wall.elapsed() < limit, |n| done < n) {
            let n = iters.map_or(batch, |n| (n - done).min(batch));
            timed += w.time(n);
            done += n;
            if flame_limit.is_some_and(|l| started.elapsed() >= l) {
                if let Some(guard) = flame.take() {
                    write_flame(guard);
                }
            }
        }
        let elapsed = timed.as_secs_f64();
        let ns = elapsed * 1e9 / done.max(1) as f64;
        println!(
            "{id}: {done} iterations in {elapsed:.2} s, {} per op, {:.0} ops/s, {}",
            format_time(ns),
            1e9 / ns,
            format_throughput(w.throughput(), ns)
        );
        #[cfg(feature = "heap")]
        if let Some(before) = before {
            let after = dhat::HeapStats::get();
            let per_op = |total: u64| total as f64 / done.max(1) as f64;
            println!(
                "{id}: {:.1} allocations and {:.0} bytes per op; peak live {} bytes so far",
                per_op(after.total_blocks - before.total_blocks),
                per_op(after.total_bytes - before.total_bytes),
                after.max_bytes,
            );
        }
    }
    if let Some(guard) = flame.take() {
        write_flame(guard);
    }
    let machine = ethbench::machine::Machine::current();
    println!("measured {} on {}", machine.date, machine.summary());
    #[cfg(feature = "heap")]
    if let Some(profiler) = heap {
        println!("dhat profile in {}", profile.heap_output.display());
        // Dropping the profiler writes the file, and dhat reports it on stderr.
        drop(profiler);
    }
}

fn iai(action: IaiAction) -> i32 {
    use ethbench::iai;
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let summaries = ethbench::bench::target_dir().join("iai");
    let baseline_path = root.join(iai::BASELINE);
    let run = iai::read_summaries(&summaries).unwrap_or_else(|e| exit_with(&e));
    match action {
        IaiAction::Save => {
            let lock = std::fs::read_to_string(root.join("Cargo.lock")).unwrap_or_default();
            let previous = iai::load(&baseline_path).ok();
            let baseline = iai::new_baseline(run, &lock, previous.as_ref());
            let json = serde_json::to_string_pretty(&baseline).expect("baseline serializes") + "\n";
            ethbench::output::write_file(&baseline_path, json.as_bytes()).unwrap_or_else(|e| exit_with(&e));
            println!("wrote {} with {} benchmarks", iai::BASELINE, baseline.benchmarks.len());
            0
        }
        IaiAction::Check { report, groups } => {
            let baseline = iai::load(&baseline_path).unwrap_or_else(|e| exit_with(&e));
            let check = iai::check(&baseline, &run, &groups);
            print!("{}", iai::render(&check, &baseline));
            let failed = if report { check.incomplete() } else { check.failed() };
            println!(
                "iai check: {} benchmarks against {} (taken {}): {}",
                check.rows.len(),
                iai::BASELINE,
                baseline.date,
                match (failed, report) {
                    (true, true) => "FAILED: a benchmark did not run, or has no baseline; see the table",
                    (true, false) =>
                        "FAILED; if the change is intended, run `scripts/iai.sh --save-baseline` and commit the baseline with it",
                    (false, true) => "every benchmark ran (counts shown, not judged)",
                    (false, false) => "ok",
                }
            );
            i32::from(failed)
        }
    }
}

fn table(base: &(String, String), sides: &[(String, String)], floor: f64, dir: Option<PathBuf>) {
    use ethbench::compare::{self, Verdict};
    let dir = dir.unwrap_or_else(ethbench::bench::criterion_dir);
    let rule = compare::Rule { floor, ..Default::default() };
    let base_side = compare::load_side(&dir, &base.0, &base.1).unwrap_or_else(|e| exit_with(&e));
    let mut columns = Vec::new();
    for (label, spec) in sides {
        let side = compare::load_side(&dir, label, spec).unwrap_or_else(|e| exit_with(&e));
        compare::check_comparable(&base_side, &side).unwrap_or_else(|e| exit_with(&e));
        columns.push((label, compare::compare(&base_side.rounds, &side.rounds, &rule)));
    }
    let machine = base_side
        .machine
        .as_ref()
        .map_or("machine not recorded".to_owned(), |m| format!("{} on {}", m.date, m.summary()));
    println!(
        "{} rounds per side, measured {machine}. Change against `{}`; **bold** where the comparator calls it real (the whole 95% interval beyond ±{:.0}%).\n",
        base_side.rounds.len(),
        base.0,
        floor * 100.0
    );
    let labels: String = columns.iter().map(|(l, _)| format!(" {l} |")).collect();
    println!("| benchmark | {} |{labels}", base.0);
    println!("|---|---:|{}", "---:|".repeat(columns.len()));
    for first in &columns[0].1 {
        let mut row = format!("| `{}` | {} |", first.id, first.base_ns.map_or("–".to_owned(), format_time));
        for (_, comparisons) in &columns {
            let Some(c) = comparisons.iter().find(|c| c.id == first.id) else {
                row.push_str(" – |");
                continue;
            };
            let cell = match (c.new_ns, c.ratio) {
                (Some(ns), Some(r)) => {
                    let change = format!("{} ({:+.1}%)", format_time(ns), (r - 1.0) * 100.0);
                    if matches!(c.verdict, Verdict::Regressed | Verdict::Improved) {
                        format!("**{change}**")
                    } else {
                        change
                    }
                }
                _ => "–".to_owned(),
            };
            row.push_str(&format!(" {cell} |"));
        }
        println!("{row}");
    }
}

fn history(action: HistoryAction) -> i32 {
    use ethbench::history;
    match action {
        HistoryAction::Record { dir, commit, baseline, criterion_dir } => {
            let criterion = criterion_dir.unwrap_or_else(ethbench::bench::criterion_dir);
            let record =
                history::Record::from_baseline(&criterion, &baseline, &commit).unwrap_or_else(|e| exit_with(&e));
            let path = dir.join(record.file_name());
            let json = serde_json::to_vec(&record).expect("records serialize");
            ethbench::output::write_file(&path, &json).unwrap_or_else(|e| exit_with(&e));
            println!("recorded {} benchmarks of {commit} in {}", record.benchmarks.len(), path.display());
            0
        }
        HistoryAction::Render { dir, html, markdown, window, lag, floor } => {
            let records = history::load(&dir).unwrap_or_else(|e| exit_with(&e));
            let rule = ethbench::compare::Rule { floor, ..Default::default() };
            let creep = history::creep(&records, window, lag, &rule);
            let out = Reports { markdown, json: None, bmf: None, iai_baseline: None };
            out.write(&out.markdown, history::markdown(&records, &creep, window, lag));
            if let Some(path) = &html {
                let page = history::html(&records, &creep).unwrap_or_else(|e| exit_with(&e));
                ethbench::output::write_file(path, page.as_bytes()).unwrap_or_else(|e| exit_with(&e));
            }
            let crept: Vec<&str> = creep
                .iter()
                .filter(|c| c.verdict == ethbench::compare::Verdict::Regressed)
                .map(|c| c.id.as_str())
                .collect();
            (out.say())(format!(
                "ethbench history: {} runs, {} crept{}",
                records.len(),
                crept.len(),
                if crept.is_empty() { String::new() } else { format!(": {}", crept.join(", ")) }
            ));
            i32::from(!crept.is_empty())
        }
    }
}

/// The latest iai-callgrind run checked against `baseline`, when one is given.
fn instruction_counts(baseline: Option<PathBuf>) -> Option<(ethbench::iai::Check, ethbench::iai::Baseline)> {
    baseline.map(|path| {
        let baseline = ethbench::iai::load(&path).unwrap_or_else(|e| exit_with(&e));
        let run =
            ethbench::iai::read_summaries(&ethbench::bench::target_dir().join("iai")).unwrap_or_else(|e| exit_with(&e));
        (ethbench::iai::check(&baseline, &run, &[]), baseline)
    })
}

/// Add the instruction counts to the comment and the JSON report.
fn with_counts(
    counts: &Option<(ethbench::iai::Check, ethbench::iai::Baseline)>,
    comment: &mut String,
    report: &mut serde_json::Value,
) {
    if let Some((check, baseline)) = counts {
        comment.push('\n');
        comment.push_str(&ethbench::compare::print::instruction_counts(check, baseline));
        report["instruction_counts"] = serde_json::json!({ "cpu_differs": check.cpu_differs, "rows": check.rows });
    }
}

/// The exit gate of `compare` and `ab`, one rule for both: a confirmed
/// regression in time, or an instruction count that rose past its tolerance.
/// (A benchmark new to one side is reported, not failed; `iai check` is
/// stricter because it keeps the committed baseline complete.)
fn gate(regressed: usize, counts: &Option<(ethbench::iai::Check, ethbench::iai::Baseline)>) -> i32 {
    if regressed > 0 || counts.as_ref().is_some_and(|(check, _)| check.rose()) {
        ethbench::compare::EXIT_REGRESSED
    } else {
        0
    }
}

fn ab(base: &std::path::Path, head: &std::path::Path, options: &ethbench::ab::Options, out: &Reports) -> i32 {
    use ethbench::ab::report;
    use ethbench::compare::{self, print};
    let outcome = ethbench::ab::run(base, head, options).unwrap_or_else(|e| exit_with(&e));
    let counts = instruction_counts(out.iai_baseline.clone());
    let pretty = |v: serde_json::Value| serde_json::to_string_pretty(&v).expect("JSON values serialize") + "\n";
    let mut comment = report::markdown(&outcome, &options.rule);
    let mut json = report::json(&outcome, &options.rule);
    with_counts(&counts, &mut comment, &mut json);
    out.write(&out.markdown, comment);
    out.write(&out.json, pretty(json));
    out.write(&out.bmf, pretty(print::bencher_metric_format_paired(&outcome.comparisons)));
    let say = out.say();
    for c in outcome.comparisons.iter().filter(|c| c.verdict != compare::Verdict::Unchanged) {
        let change = c.ratio.map_or(String::new(), |r| format!(" {:+.1}%", (r - 1.0) * 100.0));
        say(format!("{:<12} {}{change}", c.verdict.label(), c.id));
    }
    if !outcome.plants.is_empty() {
        say(report::calibration(&outcome));
    }
    let summary = compare::summarize(&outcome.comparisons);
    say(format!(
        "ethbench ab: {} ({:.0} s measuring, {:.0} s preparing)",
        print::headline(&summary),
        outcome.measured_secs,
        outcome.load_secs
    ));
    gate(summary.regressed, &counts)
}

impl Reports {
    /// Write `text` to `path`; `-` is standard output.
    fn write(&self, path: &Option<PathBuf>, text: String) {
        match path {
            Some(path) if path.as_os_str() == "-" => print!("{text}"),
            Some(path) => ethbench::output::write_file(path, text.as_bytes()).unwrap_or_else(|e| exit_with(&e)),
            None => {}
        }
    }

    /// Where the terminal summary goes: stderr when a report goes to stdout.
    fn say(&self) -> impl Fn(String) {
        let to_stdout =
            [&self.markdown, &self.json, &self.bmf].iter().any(|p| p.as_ref().is_some_and(|p| p.as_os_str() == "-"));
        move |line: String| if to_stdout { eprintln!("{line}") } else { println!("{line}") }
    }
}

fn compare(base: &str, new: &str, rule: ethbench::compare::Rule, out: &Reports, dir: Option<PathBuf>) -> i32 {
    use ethbench::compare::{self, print};
    let dir = dir.unwrap_or_else(ethbench::bench::criterion_dir);
    let base = compare::load_side(&dir, "base", base).unwrap_or_else(|e| exit_with(&e));
    let new = compare::load_side(&dir, "new", new).unwrap_or_else(|e| exit_with(&e));
    compare::check_comparable(&base, &new).unwrap_or_else(|e| exit_with(&e));
    let rounds = [base.rounds.clone(), new.rounds.clone()];
    let comparisons = compare::compare(&rounds[0], &rounds[1], &rule);
    let summary = compare::summarize(&comparisons);

    let counts = instruction_counts(out.iai_baseline.clone());
    let header = print::Header::of_baselines(&base, &new);
    let mut comment = print::markdown(&comparisons, &header, &rule);
    let mut report = print::json(&comparisons, &header, &rule);
    with_counts(&counts, &mut comment, &mut report);
    out.write(&out.markdown, comment);
    let pretty = |v: serde_json::Value| serde_json::to_string_pretty(&v).expect("JSON values serialize") + "\n";
    out.write(&out.json, pretty(report));
    out.write(&out.bmf, pretty(print::bencher_metric_format(&new)));
    let say = out.say();
    for c in comparisons.iter().filter(|c| c.verdict != compare::Verdict::Unchanged) {
        let change = c.ratio.map_or(String::new(), |r| format!(" {:+.1}%", (r - 1.0) * 100.0));
        say(format!("{:<10} {}{change}", c.verdict.label(), c.id));
    }
    say(format!(
        "ethbench compare {} vs {}: {}",
        new.baselines.join(","),
        base.baselines.join(","),
        print::headline(&summary)
    ));
    if let Some((check, _)) = &counts {
        use ethbench::iai::Status;
        say(format!(
            "instruction counts: {} rose, {} fell past their tolerance",
            check.count(Status::Rose),
            check.count(Status::Fell)
        ));
    }
    gate(summary.regressed, &counts)
}

/// "Criterion baseline `new`, measured <date> on <machine>." and a blank line.
fn print_measured_on(dir: &std::path::Path, baseline: &str) {
    // The machine recorded when the baseline was measured, not this one.
    let recorded: Option<ethbench::machine::Machine> = std::fs::read(ethbench::bench::machine_file(dir, baseline))
        .ok()
        .and_then(|text| serde_json::from_slice(&text).ok());
    match recorded {
        Some(m) => println!("Criterion baseline `{baseline}`, measured {} on {}.", m.date, m.summary()),
        None => {
            println!("Criterion baseline `{baseline}`, measured {} (machine not recorded).", newest_result_date(dir))
        }
    }
    println!();
}

fn opcodes(baseline: &str, dir: Option<PathBuf>) {
    let dir = dir.unwrap_or_else(ethbench::bench::criterion_dir);
    let measurements = read_baseline(&dir, baseline).unwrap_or_else(|e| exit_with(&e));
    let fx = Fixtures::open_default().unwrap_or_else(|e| exit_with(&e));
    let world = std::sync::Arc::new(ethbench::evm::world::World::load(&fx).unwrap_or_else(|e| exit_with(&e)));
    let table = ethbench::evm::table::markdown(&world, &measurements).unwrap_or_else(|e| exit_with(&e));
    print_measured_on(&dir, baseline);
    print!("{table}");
}

fn report(baseline: &str, dir: Option<PathBuf>, prefix: Option<&str>) {
    let dir = dir.unwrap_or_else(ethbench::bench::criterion_dir);
    let measurements = read_baseline(&dir, baseline).unwrap_or_else(|e| exit_with(&e));
    print_measured_on(&dir, baseline);
    println!("| benchmark | time per iteration (median, 95% CI) | throughput |");
    println!("|---|---|---|");
    for m in measurements.iter().filter(|m| prefix.is_none_or(|p| m.id.starts_with(p))) {
        let ci = m.median.confidence_interval;
        let throughput = m.throughput.map_or(String::new(), |t| format_throughput(t, m.median.point_estimate));
        println!(
            "| `{}` | {} ({} – {}) | {throughput} |",
            m.id,
            format_time(m.median.point_estimate),
            format_time(ci.lower_bound),
            format_time(ci.upper_bound)
        );
    }
}

/// Date (UTC) of the newest result file under `dir`.
fn newest_result_date(dir: &std::path::Path) -> String {
    fn newest(dir: &std::path::Path) -> Option<std::time::SystemTime> {
        std::fs::read_dir(dir)
            .ok()?
            .flatten()
            .filter_map(|e| {
                let meta = e.metadata().ok()?;
                if meta.is_dir() {
                    newest(&e.path())
                } else {
                    meta.modified().ok()
                }
            })
            .max()
    }
    let secs = newest(dir).and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok()).map_or(0, |d| d.as_secs() as i64);
    ethbench::machine::civil_date(secs)
}
