//! `ethbench report`: a saved Criterion baseline as tables (every benchmark, the opcodes, the precompiles, several sides against a base).

use std::path::PathBuf;

use ethbench::measure::results::{format_throughput, format_time, read_baseline};
use ethbench::Fixtures;

use std::process::ExitCode;

use super::args::{BaselineArgs, ReportKind};
use super::Ended;

fn table(base: &(String, String), sides: &[(String, String)], floor: f64, dir: Option<PathBuf>) -> Ended {
    use ethbench::judge::compare::{self, Verdict};
    let dir = dir.unwrap_or_else(ethbench::measure::results::criterion_dir);
    let rule = compare::Rule { floor, ..Default::default() };
    let results = compare::Results::read(&dir)?;
    let base_side = results.side(&base.0, &base.1)?;
    let mut columns = Vec::new();
    for (label, spec) in sides {
        let side = results.side(label, spec)?;
        compare::check_comparable(&base_side, &side)?;
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
    Ok(ExitCode::SUCCESS)
}

/// "Criterion baseline `new`, measured <date> on <machine>." and a blank line.
pub(crate) fn print_measured_on(dir: &std::path::Path, baseline: &str) {
    // The machine recorded when the baseline was measured, not this one.
    let recorded = ethbench::measure::results::recorded_machine(dir, baseline);
    match recorded {
        Some(m) => println!("Criterion baseline `{baseline}`, measured {} on {}.", m.date, m.summary()),
        None => {
            println!("Criterion baseline `{baseline}`, measured {} (machine not recorded).", newest_result_date(dir))
        }
    }
    println!();
}

fn opcodes(baseline: &str, dir: Option<PathBuf>) -> Ended {
    let dir = dir.unwrap_or_else(ethbench::measure::results::criterion_dir);
    let measurements = read_baseline(&dir, baseline)?;
    let fx = Fixtures::open_default()?;
    let world = ethbench::groups::evm::world::World::load(&fx)?;
    let table = ethbench::groups::evm::table::markdown(&world, &measurements)?;
    print_measured_on(&dir, baseline);
    print!("{table}");
    Ok(ExitCode::SUCCESS)
}

fn precompiles(baseline: &str, dir: Option<PathBuf>) -> Ended {
    let dir = dir.unwrap_or_else(ethbench::measure::results::criterion_dir);
    let measurements = read_baseline(&dir, baseline)?;
    let fx = Fixtures::open_default()?;
    let table = ethbench::groups::precompile::table::markdown(&fx, &measurements)?;
    print_measured_on(&dir, baseline);
    print!("{table}");
    Ok(ExitCode::SUCCESS)
}

/// `ethbench report opcodes|precompiles|table` (and their old names).
pub(crate) fn report_kind(kind: ReportKind) -> Ended {
    match kind {
        ReportKind::Opcodes(a) => opcodes(&a.baseline, a.criterion_dir),
        ReportKind::Precompiles(a) => precompiles(&a.baseline, a.criterion_dir),
        ReportKind::Table(a) => table(&a.base, &a.sides, a.floor, a.criterion_dir),
    }
}

/// `ethbench report [PREFIX]`: every benchmark of a baseline, as Markdown or JSON.
pub(crate) fn report(args: &BaselineArgs, prefix: Option<&str>, json: bool) -> Ended {
    let (baseline, dir) =
        (&args.baseline, args.criterion_dir.clone().unwrap_or_else(ethbench::measure::results::criterion_dir));
    let measurements = read_baseline(&dir, baseline)?;
    let shown = measurements.iter().filter(|m| prefix.is_none_or(|p| m.id.starts_with(p)));
    if json {
        let rows: Vec<serde_json::Value> = shown
            .map(|m| {
                let ci = m.median.confidence_interval;
                serde_json::json!({
                    "id": m.id,
                    "median_ns": m.median.point_estimate,
                    "low_ns": ci.lower_bound,
                    "high_ns": ci.upper_bound,
                    "throughput": m.throughput,
                })
            })
            .collect();
        let machine = ethbench::measure::results::recorded_machine(&dir, baseline);
        let report = serde_json::json!({ "baseline": baseline, "machine": machine, "benchmarks": rows });
        super::print_json(&report);
        return Ok(ExitCode::SUCCESS);
    }
    print_measured_on(&dir, baseline);
    println!("| benchmark | time per iteration (median, 95% CI) | throughput |");
    println!("|---|---|---|");
    for m in shown {
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
    Ok(ExitCode::SUCCESS)
}

/// Date (UTC) of the newest result file under `dir`.
pub(crate) fn newest_result_date(dir: &std::path::Path) -> String {
    let newest = walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| e.metadata().ok()?.modified().ok())
        .max();
    let secs = newest.and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok()).map_or(0, |d| d.as_secs() as i64);
    ethbench::measure::machine::civil_date(secs)
}
