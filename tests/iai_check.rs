//! The instruction-count check's rule, on synthetic counts.

use std::collections::BTreeMap;

use ethbench::iai::{check, Baseline, Counts, Cpu, Status};

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
        benchmarks: counts(pairs),
    }
}

fn status(c: &ethbench::iai::Check, id: &str) -> Status {
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
    let table = ethbench::iai::render(&c, &base);
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
    assert!(ethbench::iai::render(&c, &base).contains("not comparable"));
}
