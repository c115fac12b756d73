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
    },
    /// Describe the fixtures from their manifest, as a Markdown table.
    Fixtures,
    /// Verify one workload, then run it in a loop and print the time per op.
    Run {
        /// Workload id, e.g. `rlp/decode/block_200tx` (see `ethbench list`).
        workload: String,
        /// Number of iterations.
        #[arg(long, conflicts_with = "duration")]
        iters: Option<u64>,
        /// Run for this many seconds instead (default 5).
        #[arg(long, value_parser = parse_seconds)]
        duration: Option<f64>,
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
        /// Write the pull-request comment (Markdown) here.
        #[arg(long)]
        markdown: Option<PathBuf>,
        /// Write the full comparison as JSON here.
        #[arg(long)]
        json: Option<PathBuf>,
        /// Write the new side in Bencher Metric Format here.
        #[arg(long)]
        bmf: Option<PathBuf>,
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

fn parse_seconds(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v > 0.0 && v.is_finite() => Ok(v),
        _ => Err(format!("`{s}` is not a positive number of seconds")),
    }
}

fn main() {
    let cli = Cli::parse();
    match cli.command {
        Command::List { markdown } => list(markdown),
        Command::Fixtures => fixtures(),
        Command::Run { workload, iters, duration } => run(&workload, iters, duration),
        Command::Compare { base, new, floor, floors, markdown, json, bmf, criterion_dir } => {
            let rule = ethbench::compare::Rule { floor, floors, ..Default::default() };
            let outputs = Outputs { markdown, json, bmf };
            std::process::exit(compare(&base, &new, rule, &outputs, criterion_dir))
        }
        Command::Report { baseline, criterion_dir, prefix } => report(&baseline, criterion_dir, prefix.as_deref()),
    }
}

fn all_workloads() -> Vec<Box<dyn Workload>> {
    let fx = Fixtures::open_default().unwrap_or_else(|e| exit_with(&e));
    ethbench::all_workloads(&fx).unwrap_or_else(|e| exit_with(&e))
}

fn list(markdown: bool) {
    let all = all_workloads();
    if markdown {
        println!("| benchmark | what one iteration does |");
        println!("|---|---|");
        for w in &all {
            println!("| `{}` | {} |", w.id(), w.about());
        }
    } else {
        let width = all.iter().map(|w| w.id().len()).max().unwrap_or(0);
        for w in &all {
            println!("{:width$}  {}", w.id(), w.about());
        }
    }
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

fn run(id: &str, iters: Option<u64>, duration: Option<f64>) {
    let mut w = find(id);
    let once = Instant::now();
    if let Err(e) = w.verify() {
        exit_with(&e);
    }
    // Read the clock about once a millisecond, so it stays out of the profile.
    let batch = (1_000_000 / once.elapsed().as_nanos().max(1)).clamp(1, 1024) as u64;
    eprintln!("ethbench: global allocator is {}", ethbench::alloc::ACTIVE);
    let limit = Duration::from_secs_f64(duration.unwrap_or(5.0));
    let wall = Instant::now();
    let mut timed = Duration::ZERO;
    let mut done = 0u64;
    let stateful = w.needs_reset();
    if stateful {
        eprintln!("ethbench: {id} changes state; it is reset before each run, and only runs are timed");
    }
    while iters.map_or(wall.elapsed() < limit, |n| done < n) {
        let n = iters.map_or(batch, |n| (n - done).min(batch));
        if stateful {
            for _ in 0..n {
                w.reset();
                let start = Instant::now();
                w.run();
                timed += start.elapsed();
            }
        } else {
            let start = Instant::now();
            for _ in 0..n {
                w.run();
            }
            timed += start.elapsed();
        }
        done += n;
    }
    let elapsed = timed.as_secs_f64();
    let ns = elapsed * 1e9 / done.max(1) as f64;
    println!(
        "{id}: {done} iterations in {elapsed:.2} s, {} per op, {:.0} ops/s, {}",
        format_time(ns),
        1e9 / ns,
        format_throughput(w.throughput(), ns)
    );
}

struct Outputs {
    markdown: Option<PathBuf>,
    json: Option<PathBuf>,
    bmf: Option<PathBuf>,
}

fn compare(base: &str, new: &str, rule: ethbench::compare::Rule, out: &Outputs, dir: Option<PathBuf>) -> i32 {
    use ethbench::compare::{self, print};
    let dir = dir.unwrap_or_else(ethbench::bench::criterion_dir);
    let base = compare::load_side(&dir, "base", base).unwrap_or_else(|e| exit_with(&e));
    let new = compare::load_side(&dir, "new", new).unwrap_or_else(|e| exit_with(&e));
    compare::check_comparable(&base, &new).unwrap_or_else(|e| exit_with(&e));
    let rounds = [base.rounds.clone(), new.rounds.clone()];
    let comparisons = compare::compare(&rounds[0], &rounds[1], &rule);
    let summary = compare::summarize(&comparisons);

    let write = |path: &Option<PathBuf>, text: String| {
        if let Some(path) = path {
            ethbench::output::write_file(path, text.as_bytes()).unwrap_or_else(|e| exit_with(&e));
        }
    };
    write(&out.markdown, print::markdown(&comparisons, &base, &new, &rule));
    let pretty = |v: serde_json::Value| serde_json::to_string_pretty(&v).expect("JSON values serialize") + "\n";
    write(&out.json, pretty(print::json(&comparisons, &base, &new, &rule)));
    write(&out.bmf, pretty(print::bencher_metric_format(&new)));

    for c in comparisons.iter().filter(|c| c.verdict != compare::Verdict::Unchanged) {
        let change = c.ratio.map_or(String::new(), |r| format!(" {:+.1}%", (r - 1.0) * 100.0));
        println!("{:<10} {}{change}", c.verdict.label(), c.id);
    }
    println!(
        "ethbench compare {} vs {}: {}",
        new.baselines.join(","),
        base.baselines.join(","),
        print::headline(&summary)
    );
    if summary.regressed > 0 {
        compare::EXIT_REGRESSED
    } else {
        0
    }
}

fn report(baseline: &str, dir: Option<PathBuf>, prefix: Option<&str>) {
    let dir = dir.unwrap_or_else(ethbench::bench::criterion_dir);
    let measurements = read_baseline(&dir, baseline).unwrap_or_else(|e| exit_with(&e));
    let machine = ethbench::machine::Machine::current();
    let newest = newest_result_date(&dir);
    println!("Criterion baseline `{baseline}`, measured {newest} on {}.", machine.summary());
    println!();
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
    civil_date(secs)
}

/// `YYYY-MM-DD` for a Unix timestamp (days-from-civil, inverted).
fn civil_date(secs: i64) -> String {
    let z = secs.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}
