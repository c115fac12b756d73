//! The instruction-count check's rule, on synthetic counts.

use std::collections::BTreeMap;

use ethbench::judge::compare::Rule;
use ethbench::judge::iai::{check, spreads, Baseline, Counts, Cpu, Spread, Status, FLOOR};
use ethbench::judge::report::{Header, Judgement, Markdown, Report, Run};

fn counts(pairs: &[(&str, u64)]) -> Counts {
    pairs
        .iter()
        .map(|(id, ir)| (id.to_string(), BTreeMap::from([("Ir".to_owned(), *ir), ("Dr".to_owned(), ir / 3)])))
        .collect()
}

fn baseline(pairs: &[(&str, u64)]) -> Baseline {
    Baseline {
        written_by: "test".into(),
        date: "2026-11-23".into(),
        rustc: "rustc".into(),
        dependencies: BTreeMap::new(),
        cpu: Cpu::current(),
        tolerance: 0.01,
        tolerances: BTreeMap::from([("trie/multiproof".to_owned(), 0.05)]),
        tolerances_from: None,
        benchmarks: counts(pairs),
    }
}

fn status(c: &ethbench::judge::iai::Check, id: &str) -> Status {
    c.rows.iter().find(|r| r.id == id).unwrap().status
}

#[test]
fn a_rise_past_the_tolerance_fails_and_the_rest_does_not() {
    let base = baseline(&[("rlp/a/x", 1000), ("rlp/b/x", 1000), ("rlp/c/x", 1000), ("trie/multiproof/t", 1000)]);
    let run = counts(&[("rlp/a/x", 1000), ("rlp/b/x", 1005), ("rlp/c/x", 980), ("trie/multiproof/t", 1040)]);
    let c = check(&base, &run, &[]);
    assert_eq!(status(&c, "rlp/a/x"), Status::Same);
    assert_eq!(status(&c, "rlp/b/x"), Status::Within);
    assert_eq!(status(&c, "rlp/c/x"), Status::Fell);
    assert_eq!(status(&c, "trie/multiproof/t"), Status::Within, "its own 5% tolerance applies");
    assert!(!c.failed());

    let run = counts(&[("rlp/a/x", 1011), ("rlp/b/x", 1000), ("rlp/c/x", 1000), ("trie/multiproof/t", 1000)]);
    let c = check(&base, &run, &[]);
    assert_eq!(status(&c, "rlp/a/x"), Status::Rose);
    assert!(c.failed());
    let table = ethbench::judge::iai::render(&c, &base);
    assert!(table.contains("| `rlp/a/x` | 1000 | 1011 | +1.100% | ±1.0% | **ROSE** |"), "{table}");
}

#[test]
fn missing_and_new_benchmarks_fail_within_the_groups_asked_for() {
    let base = baseline(&[("rlp/a/x", 1000), ("db/a/x", 1000)]);
    let run = counts(&[("rlp/a/x", 1000), ("rlp/new/x", 5)]);
    let c = check(&base, &run, &["rlp".to_owned()]);
    assert_eq!(status(&c, "rlp/new/x"), Status::New);
    assert!(c.rows.iter().all(|r| r.id != "db/a/x"), "db was not asked for");
    assert!(c.failed());

    let c = check(&base, &counts(&[("rlp/a/x", 1000)]), &[]);
    assert_eq!(status(&c, "db/a/x"), Status::NotRun);
    assert!(c.failed());
}

#[test]
fn another_cpu_reports_without_failing() {
    let mut base = baseline(&[("rlp/a/x", 1000)]);
    base.cpu.features.push("some_feature_no_cpu_has".into());
    let c = check(&base, &counts(&[("rlp/a/x", 2000)]), &[]);
    assert_eq!(status(&c, "rlp/a/x"), Status::Rose);
    assert!(c.cpu_differs && !c.failed());
    assert!(ethbench::judge::iai::render(&c, &base).contains("not comparable"));
}

#[test]
fn a_tolerance_is_three_times_the_measured_spread_and_never_below_the_floor() {
    let runs = [
        counts(&[("rlp/a/x", 1000), ("evm/b/x", 100_000)]),
        counts(&[("rlp/a/x", 1000), ("evm/b/x", 100_400)]),
        counts(&[("rlp/a/x", 1000), ("evm/b/x", 100_100)]),
    ];
    let s = spreads(&runs).unwrap();
    assert_eq!(s[0], Spread { id: "evm/b/x".into(), min: 100_000, max: 100_400 });
    assert!((s[0].relative() - 0.004).abs() < 1e-12);
    assert_eq!(s[0].tolerance(), 0.012, "3 x 0.4%");
    assert_eq!(s[1].tolerance(), FLOOR, "identical in every run");
    // Rounded up to a tenth of a percent, so a tolerance never sits below 3x.
    let odd = Spread { id: "x".into(), min: 10_000, max: 10_021 };
    assert_eq!(odd.tolerance(), 0.007);
}

#[test]
fn a_spread_needs_every_twin_in_every_run_and_two_runs() {
    let err = spreads(&[counts(&[("rlp/a/x", 1)]), counts(&[])]).unwrap_err();
    assert!(err.contains("`rlp/a/x` ran in 1 of 2 runs"), "{err}");
    assert!(spreads(&[counts(&[("rlp/a/x", 1)])]).unwrap_err().contains("two at least"));
}

#[test]
fn a_risen_count_is_a_regression_in_the_headline_as_in_the_exit_status() {
    let base = baseline(&[("rlp/a/x", 1000), ("rlp/b/x", 1000)]);
    let c = check(&base, &counts(&[("rlp/a/x", 1020), ("rlp/b/x", 1000)]), &[]);
    assert_eq!(c.rose_count(), 1);
    let comment = Markdown.render(&judged(c, &base));
    let headline = comment.lines().nth(1).unwrap();
    assert_eq!(
        headline,
        "### ethbench: 1 regressed (0 in time, 1 in instruction counts), 0 improved, 0 unchanged, 0 new, 0 missing"
    );
    assert!(!comment.contains("No confirmed regressions"), "{comment}");
    assert!(comment.contains("1 instruction counts rose past their tolerance"), "{comment}");

    let c = check(&base, &counts(&[("rlp/a/x", 1000), ("rlp/b/x", 1000)]), &[]);
    let comment = Markdown.render(&judged(c, &base));
    assert!(comment.contains("### ethbench: 0 regressed,"), "{comment}");
    assert!(comment.contains("No confirmed regressions or improvements."));
}

/// A judgement of no timed benchmarks with these instruction counts.
fn judged(check: ethbench::judge::iai::Check, baseline: &ethbench::judge::iai::Baseline) -> Judgement {
    let side = |label: &str| ethbench::judge::compare::Side {
        label: label.to_owned(),
        baselines: vec![label.to_owned()],
        rounds: Vec::new(),
        machine: None,
    };
    let header = Header { method: String::new(), sides: Vec::new() };
    let run = Run::Baselines { base: Box::new(side("base")), new: Box::new(side("new")) };
    Judgement::new(Vec::new(), header, Rule::default(), Some((check, baseline.clone())), run)
}
