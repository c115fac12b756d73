//! `ethbench iai`: the committed instruction-count baseline, saved or
//! checked, and each twin's tolerance derived from its measured spread.

use std::process::ExitCode;

use super::args::IaiAction;
use super::{fail, Ended, Failure};

pub(crate) fn iai(action: IaiAction) -> Ended {
    use ethbench::judge::iai;
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let summaries = ethbench::measure::output::target_dir().join("iai");
    let baseline_path = root.join(iai::BASELINE);
    // The latest run's summaries, for the actions that read them.
    let latest = || iai::read_summaries(&summaries);
    match action {
        IaiAction::Spread { runs, write, fresh } => spread(&read_runs(&runs)?, write, fresh, &baseline_path),
        IaiAction::Aa { runs } => aa(&read_runs(&runs)?, &baseline_path),
        IaiAction::Record { file } => {
            let run = latest()?;
            let json = serde_json::to_string_pretty(&run).expect("counts serialize") + "\n";
            ethbench::measure::output::write_file(&file, json.as_bytes())?;
            println!("recorded {} counts in {}", run.len(), file.display());
            Ok(ExitCode::SUCCESS)
        }
        IaiAction::Save => {
            let lock = std::fs::read_to_string(root.join("Cargo.lock")).unwrap_or_default();
            let previous = iai::load(&baseline_path).ok();
            let baseline = iai::new_baseline(latest()?, &lock, previous.as_ref());
            let json = serde_json::to_string_pretty(&baseline).expect("baseline serializes") + "\n";
            ethbench::measure::output::write_file(&baseline_path, json.as_bytes())?;
            println!("wrote {} with {} benchmarks", iai::BASELINE, baseline.benchmarks.len());
            Ok(ExitCode::SUCCESS)
        }
        IaiAction::Check { report, groups } => {
            let baseline = iai::load(&baseline_path)?;
            let check = iai::check(&baseline, &latest()?, &groups);
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
            Ok(ExitCode::from(u8::from(failed)))
        }
    }
}

/// Counts recorded by `ethbench iai record`, in the order given.
fn read_runs(runs: &[std::path::PathBuf]) -> Result<Vec<ethbench::judge::iai::Counts>, Failure> {
    runs.iter()
        .map(|path| {
            let text = std::fs::read(path).map_err(|e| {
                Failure(format!("{}: {e}; write it with `ethbench iai record FILE` after a run", path.display()))
            })?;
            serde_json::from_slice(&text)
                .map_err(|e| Failure(format!("{}: not counts written by `ethbench iai record` ({e})", path.display())))
        })
        .collect()
}

/// Print each twin's spread over `runs`, and with `write` commit the
/// tolerances it calls for to the baseline.
fn spread(counts: &[ethbench::judge::iai::Counts], write: bool, fresh: bool, baseline_path: &std::path::Path) -> Ended {
    use ethbench::judge::iai;
    let spreads = iai::spreads(counts)?;
    println!("| twin | min Ir | max Ir | spread | tolerance |");
    println!("|---|---:|---:|---:|---:|");
    for s in spreads.iter().filter(|s| s.min != s.max) {
        println!(
            "| `{}` | {} | {} | {:.3}% | {:.1}% |",
            s.id,
            s.min,
            s.max,
            s.relative() * 100.0,
            s.tolerance() * 100.0
        );
    }
    let moved = spreads.iter().filter(|s| s.min != s.max).count();
    println!(
        "iai spread: {} twins over {} runs: {} identical in every run (tolerance {:.1}%), {moved} moved (listed above)",
        spreads.len(),
        counts.len(),
        spreads.len() - moved,
        iai::FLOOR * 100.0
    );
    if write {
        let mut baseline = iai::load(baseline_path)?;
        let derived = format!(
            "{:.0}x each twin's spread over {} runs of one build on {} (ethbench iai spread, as scripts/iai.sh --spread runs it), at least {:.1}%, and {:.0}% for a count that moved",
            iai::SPREAD_MARGIN,
            counts.len(),
            ethbench::measure::machine::Machine::current().date,
            iai::FLOOR * 100.0,
            iai::MOVING_FLOOR * 100.0
        );
        if fresh {
            baseline.tolerances.clear();
            baseline.tolerances_from = None;
        }
        let kept = iai::widen(&mut baseline, &spreads);
        baseline.tolerances_from = Some(match baseline.tolerances_from.take() {
            Some(earlier) => format!("{earlier}; then the wider of that and {derived}"),
            None => derived,
        });
        let json = serde_json::to_string_pretty(&baseline).expect("baseline serializes") + "\n";
        ethbench::measure::output::write_file(baseline_path, json.as_bytes())?;
        println!(
            "wrote {} tolerances to {} ({kept} kept wider from earlier spreads; --fresh to drop them)",
            spreads.len(),
            iai::BASELINE
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Judge every run after the first against the first, with the committed
/// tolerances: each line is one A/A comparison of the counts.
fn aa(counts: &[ethbench::judge::iai::Counts], baseline_path: &std::path::Path) -> Ended {
    use ethbench::judge::iai::{self, Status};
    let Some((first, rest)) = counts.split_first().filter(|(_, rest)| !rest.is_empty()) else {
        return fail("an A/A needs two recorded runs at least: the base and one repeat");
    };
    let mut base = iai::load(baseline_path)?;
    base.benchmarks = first.clone();
    // Both sides were counted here, whatever machine took the committed counts.
    base.cpu = iai::Cpu::current();
    let mut flagged = 0;
    for (k, run) in rest.iter().enumerate() {
        let check = iai::check(&base, run, &[]);
        let moved: Vec<String> = check
            .rows
            .iter()
            .filter(|r| matches!(r.status, Status::Rose | Status::Fell | Status::NotRun | Status::New))
            .map(|r| format!("{} {:?}", r.id, r.status))
            .collect();
        flagged += check.rose_count();
        println!(
            "A/A {}: {} of {} twins rose past their tolerance, {} fell, {} identical{}",
            k + 1,
            check.rose_count(),
            check.rows.len(),
            check.count(Status::Fell),
            check.count(Status::Same),
            if moved.is_empty() { String::new() } else { format!(" ({})", moved.join(", ")) }
        );
    }
    Ok(ExitCode::from(u8::from(flagged > 0)))
}
