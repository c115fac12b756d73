//! main's history: slow creep that no single pull request shows is flagged
//! by the comparator's rule; a flat, noisy history is not. The trend page
//! puts the planted moves first, shows skipped runs and toolchain changes,
//! escapes what it prints, and stays small.

use std::collections::BTreeMap;

use ethbench::judge::compare::{Rule, Verdict};
use ethbench::judge::history::page::{html, PageOptions};
use ethbench::judge::history::trend::Trend;
use ethbench::judge::history::{self, Record};
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
                machine: ethbench::measure::machine::Machine::current(),
                benchmarks,
                skipped: None,
            }
        })
        .collect()
}

fn verdicts(records: &[Record]) -> BTreeMap<String, Verdict> {
    history::creep(records, 5, 10, &Rule::default()).comparisons.into_iter().map(|c| (c.id, c.verdict)).collect()
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
    assert!(!history::creep(&history(12, 0.01, 1), 5, 10, &Rule::default()).judged());
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
    let trend = Trend::new(&loaded, 5, 10, &Rule::default());
    let summary = history::summary::markdown(&trend, "test machine");
    assert!(summary.contains("1 of 2 crept"), "{summary}");
    assert!(summary.contains("**crept (+"), "{summary}");
    let page = html(&trend, &PageOptions { commit_url: None, machine: "test machine" });
    assert!(page.contains("1 crept</b>"), "{page}");
    assert!(!page.contains("<script"));
}

const OPTIONS: PageOptions = PageOptions { commit_url: Some("https://github.com/o/r/commit/"), machine: "m" };

/// `runs` runs of `benchmarks` benchmarks in `groups` groups, each with 2%
/// noise, 20 samples a run.
fn many(runs: usize, benchmarks: usize, groups: usize) -> Vec<Record> {
    let mut rng = ChaCha20Rng::seed_from_u64(9);
    (0..runs)
        .map(|i| {
            let benchmarks = (0..benchmarks)
                .map(|b| {
                    let ns = 100.0 * (1 + b % 97) as f64;
                    let samples = (0..20).map(|_| ns * (1.0 + rng.random_range(-0.02..0.02))).collect();
                    (format!("group{}/case{b}/input", b % groups), samples)
                })
                .collect();
            let mut machine = ethbench::measure::machine::Machine::current();
            machine.date = format!("2026-11-{:02}", 1 + i % 28);
            Record { commit: format!("{i:040x}"), unix: 1_700_000_000 + i as u64, machine, benchmarks, skipped: None }
        })
        .collect()
}

#[test]
fn the_page_of_269_benchmarks_over_100_runs_is_under_a_megabyte() {
    let records = many(100, 269, 12);
    let page = html(&Trend::new(&records, 5, 10, &Rule::default()), &OPTIONS);
    assert!(page.len() < 1_000_000, "{} bytes", page.len());
    // One hover column per run and group, each a link to its commit.
    assert_eq!(page.matches("<a href=\"https://github.com/o/r/commit/").count(), 100 * 12 + 2);
}

#[test]
fn a_planted_step_leads_the_page_and_noise_does_not_move() {
    let mut records = many(30, 40, 4);
    for r in &mut records[20..] {
        for s in r.benchmarks.get_mut("group1/case9/input").unwrap() {
            *s *= 1.08;
        }
    }
    let trend = Trend::new(&records, 5, 10, &Rule::default());
    let movers: Vec<&str> = trend.movers().iter().map(|s| s.id.as_str()).collect();
    assert_eq!(movers, ["group1/case9/input"]);
    let moved = trend.movers()[0].moved;
    assert!((0.07..0.09).contains(&moved), "{moved}");
    let page = html(&trend, &OPTIONS);
    // The summary names it before any group, and its group opens with it first.
    let first_mention = page.find("group1/case9/input").unwrap();
    assert!(first_mention < page.find("<details").unwrap());
    let group = &page[page.find("<details id=\"g-group1\" open>").expect("its group is open")..];
    let first_row = &group[group.find("<g id=").unwrap()..];
    assert!(first_row.starts_with("<g id=\"b-group1/case9/input\""), "{}", &first_row[..80]);
    assert_eq!(page.matches(" open>").count(), 1, "only the group that moved is open");
}

#[test]
fn skipped_runs_are_gaps_with_their_reason_and_a_new_compiler_is_not_creep() {
    let mut records = history(20, 0.01, 4);
    records[7] = Record::skipped(&records[7].commit.clone(), records[7].unix, "the suite failed: <b>runner lost</b>");
    for r in &mut records[10..] {
        r.machine.rustc = "rustc 9.99.0".to_owned();
    }
    let trend = Trend::new(&records, 5, 10, &Rule::default());
    assert_eq!(trend.measured(), 19);
    assert!(trend.series.iter().all(|s| s.points[7].is_none()));
    assert_eq!(trend.toolchain_changes(), [10]);
    // The creep check's sides ran on different compilers: shown, not called creep.
    assert!(trend.creep.toolchain_change.is_some());
    assert!(trend.creep.crept().is_empty());
    let page = html(&trend, &OPTIONS);
    assert!(page.contains("the suite failed: &lt;b&gt;runner lost&lt;/b&gt;"), "the reason is escaped");
    assert!(!page.contains("<b>runner lost"));
    assert!(page.contains("<rect class=\"s\""), "a hatched gap");
    assert!(page.contains("across a toolchain change"));
    assert!(page.contains("rustc 9.99.0"));
}

#[test]
fn ids_are_escaped() {
    let mut records = many(3, 2, 1);
    for r in &mut records {
        let samples = r.benchmarks.values().next().unwrap().clone();
        r.benchmarks.insert("g/<img src=x onerror=alert(1)>/\"q\"".to_owned(), samples);
    }
    let page = html(&Trend::new(&records, 5, 10, &Rule::default()), &OPTIONS);
    assert!(!page.contains("<img"));
    assert!(page.contains("&lt;img src=x onerror=alert(1)&gt;/&quot;q&quot;"));
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
