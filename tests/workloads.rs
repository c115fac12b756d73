//! Every workload's `verify` runs here: what the benchmarks time is what these tests check.

use std::collections::BTreeSet;

use ethbench::{Fixtures, Workload};

fn workloads(build: ethbench::Builder) -> Vec<Box<dyn Workload>> {
    let fx = Fixtures::open_default().unwrap_or_else(|e| panic!("{e}"));
    build(&fx, ethbench::Select::ALL).unwrap_or_else(|e| panic!("{e}"))
}

fn verify_all(build: ethbench::Builder, group: &str) {
    let mut all = workloads(build);
    assert!(!all.is_empty(), "group {group} registers no workloads");
    let mut failures = Vec::new();
    for w in &mut all {
        assert!(w.id().starts_with(&format!("{group}/")), "{} is outside group {group}", w.id());
        if let Err(e) = w.verify() {
            failures.push(e.to_string());
        }
    }
    assert!(failures.is_empty(), "{} workloads failed verify:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn rlp_workloads_verify() {
    verify_all(ethbench::groups::rlp::workloads, "rlp");
}

#[test]
fn rlp_covers_the_required_cases() {
    let ids: BTreeSet<String> = workloads(ethbench::groups::rlp::workloads).iter().map(|w| w.id().to_owned()).collect();
    for required in [
        "rlp/encode/u64_x1024",
        "rlp/decode/u256_x1024",
        "rlp/encode/bytes55_x128",
        "rlp/decode/bytes56_x128",
        "rlp/decode/access_list_16addr",
        "rlp/decode/header",
        "rlp/decode/tx_legacy",
        "rlp/decode/tx_eip2930",
        "rlp/decode/tx_eip1559",
        "rlp/decode/tx_eip4844",
        "rlp/decode/tx_eip7702",
        "rlp/encode/block_200tx",
        "rlp/decode/block_200tx",
        "rlp/decode/receipts_200tx",
        "rlp/reject/truncated_block",
        "rlp/reject/bad_last_tx",
        "rlp/reject/short_list_header",
        "rlp/reject/leading_zero_u64",
    ] {
        assert!(ids.contains(required), "missing workload {required}; have {ids:?}");
    }
}

#[test]
fn ids_are_unique_and_hierarchical() {
    let fx = Fixtures::open_default().unwrap_or_else(|e| panic!("{e}"));
    let all = ethbench::all_workloads(&fx).unwrap_or_else(|e| panic!("{e}"));
    let mut seen = BTreeSet::new();
    for w in &all {
        let id = ethbench::measure::id::Id::parse(w.id()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(id.to_string(), w.id(), "an id reads back as written");
        // The case may itself have parts (`scale/mdbx/read_account/1e7`).
        assert!(
            w.id().split('/').all(|p| p.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')),
            "{} has a non-[a-z0-9_] segment",
            w.id()
        );
        assert!(!w.about().is_empty(), "{} has no description", w.id());
        assert!(seen.insert(w.id().to_owned()), "{} is registered twice", w.id());
    }
}

/// A workload whose check is wrong must be caught by verify: the harness is
/// not allowed to pass everything.
#[test]
fn verify_catches_a_wrong_result() {
    use ethbench::measure::workload::{case, expect_eq, Throughput};
    let mut w = case(
        "test/sum/three",
        "1 + 2",
        Throughput::Elements(2),
        (1u64, 2u64),
        |(a, b)| *a + *b,
        |_, sum| expect_eq("sum", sum, 4),
    );
    let e = w.verify().unwrap_err().to_string();
    assert!(e.contains("test/sum/three") && e.contains("sum is 3, expected 4"), "{e}");
}

#[test]
fn trie_workloads_verify() {
    verify_all(ethbench::groups::trie::workloads, "trie");
}

#[test]
fn recovery_workloads_verify() {
    verify_all(ethbench::groups::recovery::workloads, "recovery");
}

#[test]
fn precompile_workloads_verify() {
    verify_all(ethbench::groups::precompile::workloads, "precompile");
}

#[test]
fn db_workloads_verify() {
    verify_all(ethbench::groups::db::workloads, "db");
}

/// A runner that asks for one workload gets exactly that one.
#[test]
fn one_workload_by_id() {
    let fx = Fixtures::open_default().unwrap_or_else(|e| panic!("{e}"));
    for id in
        ["rlp/decode/block_200tx", "trie/storage_root/slots_1k", "recovery/single/k256", "db/batch/accounts_append_10k"]
    {
        let mut w = ethbench::groups::workload(&fx, id).unwrap().unwrap_or_else(|| panic!("{id} not found"));
        assert_eq!(w.id(), id);
        w.verify().unwrap();
    }
    assert!(ethbench::groups::workload(&fx, "rlp/decode/no_such_input").unwrap().is_none());
    assert!(ethbench::groups::workload(&fx, "nogroup/x/y").unwrap().is_none());
}

/// The iai twins name their benches `case__input` and map them back by
/// splitting on `__`, so no id segment may contain it.
#[test]
fn ids_never_contain_a_double_underscore() {
    let fx = Fixtures::open_default().unwrap_or_else(|e| panic!("{e}"));
    for w in ethbench::all_workloads(&fx).unwrap_or_else(|e| panic!("{e}")) {
        assert!(!w.id().contains("__"), "{}", w.id());
        let id = ethbench::measure::id::Id::parse(w.id()).unwrap();
        let twin = ethbench::measure::id::Id::from_iai(&id.group, &format!("{}__{}", id.case, id.input));
        assert_eq!(twin.as_ref(), Some(&id), "the iai twin's name maps back to {}", w.id());
    }
}

#[test]
fn harness_workloads_verify() {
    verify_all(ethbench::groups::timing_loop::workloads, "harness");
}

#[test]
fn evm_workloads_verify() {
    verify_all(ethbench::groups::evm::workloads, "evm");
}

#[test]
fn several_prefixes_select_their_union() {
    let select = ethbench::Select::prefix("rlp/hash,trie/keccak");
    assert!(select.wants("rlp/hash/header") && select.wants("trie/keccak/addresses_10k"));
    assert!(!select.wants("rlp/decode/header"));
    assert!(select.wants_any("trie") && !select.wants_any("evm"));
}
