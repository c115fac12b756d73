//! main's history: slow creep that no single pull request shows is flagged
//! by the comparator's rule; a flat, noisy history is not.

use std::collections::BTreeMap;

use ethbench::compare::{Rule, Verdict};
use ethbench::history::{self, Record};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha20Rng;

/// `runs` records of two benchmarks: `flat` stays at 1 µs, `creeping` grows
/// by `per_run` each run; both with 2% noise per sample and the odd 2× slow sample.
fn history(runs: usize, per_run: f64, seed: u64) -> Vec<Record> {
    let mut rng = ChaCha20Rng::seed_from_u64(seed);
    (0..runs)
        .map(|i| {
            let mut samples = |ns: f64| -> Vec<f64> {
                (0..50)
                    .map(|_| {
                        let slow = if rng.random_bool(0.03) { 2.0 } else { 1.0 };
                        ns * (1.0 + rng.random_range(-0.02..0.02)) * slow
                    })
                    .collect()
            };
            let benchmarks = BTreeMap::from([
                ("g/flat/x".to_owned(), samples(1000.0)),
                ("g/creeping/x".to_owned(), samples(1000.0 * (1.0 + per_run).powi(i as i32))),
            ]);
            Record {
                commit: format!("{i:040x}"),
                unix: 1_700_000_000 + i as u64 * 3600,
                machine: ethbench::machine::Machine::current(),
                benchmarks,
            }
        })
        .collect()
}

fn verdicts(records: &[Record]) -> BTreeMap<String, Verdict> {
    history::creep(records, 5, 10, &Rule::default()).into_iter().map(|c| (c.id, c.verdict)).collect()
}

#[test]
fn one_percent_per_commit_is_flagged_and_a_flat_history_is_not() {
    for seed in 0..5 {
        let v = verdicts(&history(20, 0.01, seed));
        assert_eq!(v["g/creeping/x"], Verdict::Regressed, "seed {seed}");
        assert_eq!(v["g/flat/x"], Verdict::Unchanged, "seed {seed}");
        let flat = verdicts(&history(20, 0.0, seed + 100));
        assert!(flat.values().all(|v| *v == Verdict::Unchanged), "seed {seed}: {flat:?}");
    }
}

#[test]
fn a_short_history_is_not_judged() {
    assert!(history::creep(&history(12, 0.01, 1), 5, 10, &Rule::default()).is_empty());
}

#[test]
fn records_round_trip_and_render() {
    let dir = tempfile::tempdir().unwrap();
    let records = history(16, 0.01, 3);
    for r in &records {
        std::fs::write(dir.path().join(r.file_name()), serde_json::to_vec(r).unwrap()).unwrap();
    }
    let loaded = history::load(dir.path()).unwrap();
    assert_eq!(loaded.len(), 16);
    assert!(loaded.windows(2).all(|w| w[0].unix < w[1].unix), "oldest first");
    let creep = history::creep(&loaded, 5, 10, &Rule::default());
    let summary = history::markdown(&loaded, &creep, 5, 10);
    assert!(summary.contains("1 of 2 crept"), "{summary}");
    assert!(summary.contains("**crept +"), "{summary}");
    let page = history::html(&loaded, &creep).unwrap();
    assert_eq!(page.matches("<svg").count(), 2);
    assert!(page.contains("g/creeping/x (crept)"));
    assert!(!page.contains("<script"));
}

#[test]
fn an_empty_or_missing_history_is_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let e = history::load(dir.path()).unwrap_err().to_string();
    assert!(e.contains("holds no history records"), "{e}");
    let e = history::load(&dir.path().join("nope")).unwrap_err().to_string();
    assert!(e.contains("bench-history"), "{e}");
    assert_eq!(e.lines().count(), 1);
}
