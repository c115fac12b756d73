//! `ethbench iai`: the committed instruction-count baseline, saved or checked.

use ethbench::error::exit_with;

use super::args::IaiAction;

pub fn iai(action: IaiAction) -> i32 {
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
