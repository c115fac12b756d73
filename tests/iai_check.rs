//! The instruction-count check's rule, on synthetic counts.

use std::collections::BTreeMap;

use ethbench::judge::compare::Rule;
use ethbench::judge::iai::{check, spreads, Baseline, Counts, Cpu, Spread, Status, FLOOR, MOVING_FLOOR};
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
fn another_groups_summaries_are_not_judged() {
    // A shard counts its own groups; target/iai may still hold another
    // group's summaries from an earlier run, and they are no evidence here.
    let base = baseline(&[("rlp/a/x", 1000), ("db/a/x", 1000)]);
    let run = counts(&[("rlp/a/x", 1000), ("db/a/x", 9000), ("db/stale/x", 5)]);
    let c = check(&base, &run, &["rlp".to_owned()]);
    assert_eq!(c.rows.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), ["rlp/a/x"]);
    assert!(!c.failed());
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
    assert_eq!(s[0].tolerance(), MOVING_FLOOR, "3 x 0.4% is less than a count that moves at all gets");
    assert_eq!(s[1].tolerance(), FLOOR, "identical in every run");
    let wide = Spread { id: "x".into(), min: 100_000, max: 101_500 };
    assert_eq!(wide.tolerance(), 0.045, "3 x 1.5%");
    // Rounded up to a tenth of a percent, so a tolerance never sits below 3x.
    let odd = Spread { id: "x".into(), min: 10_000, max: 10_341 };
    assert_eq!(odd.tolerance(), 0.103);
}

/// A later spread widens a tolerance but never narrows one: a twin's rare
/// jump that an earlier set of runs saw still counts.
#[test]
fn a_new_spread_keeps_a_wider_committed_tolerance() {
    let mut base = baseline(&[("rlp/a/x", 1000), ("evm/b/x", 100_000)]);
    base.tolerances = BTreeMap::from([("evm/b/x".to_owned(), 0.084), ("rlp/a/x".to_owned(), 0.005)]);
    let later = [
        Spread { id: "evm/b/x".into(), min: 100_000, max: 100_100 },
        Spread { id: "rlp/a/x".into(), min: 1000, max: 1010 },
        Spread { id: "new/c/x".into(), min: 10, max: 10 },
    ];
    assert_eq!(ethbench::judge::iai::widen(&mut base, &later), 1, "only evm/b/x's is kept");
    assert_eq!(base.tolerances["evm/b/x"], 0.084);
    assert_eq!(base.tolerances["rlp/a/x"], 0.03, "3 x 1%, or the least a moving count gets");
    assert_eq!(base.tolerances["new/c/x"], FLOOR);
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

/// Every workload has an instruction-count twin, or a reason in
/// `iai::uncounted` for having none, never both; and every twin names a
/// workload, under the bench name its id maps back from.
#[test]
fn every_workload_has_a_twin_or_a_reason() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut twins = BTreeMap::new();
    let bench = regex::Regex::new(r#"#\[bench::(\w+)\(prepare\("([^"]+)"\)\)\]"#).unwrap();
    for entry in std::fs::read_dir(root.join("benches")).unwrap() {
        let file = entry.unwrap().path().join("iai.rs");
        let Ok(source) = std::fs::read_to_string(&file) else { continue };
        let group = file.parent().unwrap().file_name().unwrap().to_str().unwrap().to_owned();
        for c in bench.captures_iter(&source) {
            let id = ethbench::measure::id::Id::from_iai(&group, &c[1]).map(|id| id.to_string());
            assert_eq!(id.as_deref(), Some(&c[2]), "{}: bench {} maps back to another id", file.display(), &c[1]);
            assert!(twins.insert(c[2].to_owned(), group.clone()).is_none(), "{} has two twins", &c[2]);
        }
    }
    let fx = ethbench::Fixtures::open_default().unwrap_or_else(|e| panic!("{e}"));
    let all = ethbench::all_workloads(&fx).unwrap_or_else(|e| panic!("{e}"));
    for w in &all {
        match (twins.remove(w.id()), ethbench::judge::iai::uncounted(w.id())) {
            (Some(_), Some(why)) => panic!("{} has a twin, but iai::uncounted says it cannot: {why}", w.id()),
            (None, None) => panic!("{} has no twin in benches/*/iai.rs and no reason in iai::uncounted", w.id()),
            _ => {}
        }
    }
    assert!(twins.is_empty(), "twins of no workload: {twins:?}");
}
