//! `ethbench run|bench blocktest`: real filled blockchain tests (Cancun,
//! Prague with an EIP-7002 request, an Osaka benchmark-release test)
//! executed block by block with every header's roots, bloom and gas
//! matching; an invalid block is refused and the chain goes on without
//! it; a wrong post state, a wrong last block hash, a block that should
//! have been refused and malformed files are refused in one line.

mod common;

use std::path::{Path, PathBuf};

use alloy_primitives::B256;
use alloy_rlp::{Decodable, Encodable};
use ethbench::groups::inputs::blocktest::{workloads, BlockTestInput};

fn dir() -> PathBuf {
    ethbench::Fixtures::default_dir().join("blocktests")
}

const TLOAD: &str = "tloadDoesNotPersistAcrossBlocks.json";

fn input(paths: Vec<PathBuf>) -> BlockTestInput {
    BlockTestInput { paths, fork: None, filter: None }
}

/// A copy of a committed blockchain test with `edit` applied to its JSON, in `dir`.
fn edited(dir: &Path, name: &str, edit: impl FnOnce(&mut serde_json::Value)) -> PathBuf {
    common::edited_json(&self::dir().join(name), dir, edit)
}

#[test]
fn the_committed_blockchain_tests_all_verify() {
    let (mut runs, report) = workloads(&input(vec![dir()])).unwrap_or_else(|e| panic!("{e}"));
    // Three community tests (5 blocks) and the project's own (2 blocks and an invalid one).
    assert!(report.contains("4 files, 4 tests, 8 blocks matched their fixture"), "{report}");
    assert!(report.contains("7 executed with state root, receipts root, bloom and gas equal, 1 rejected"), "{report}");
    assert!(report.contains("skipped: 0 tests"), "{report}");
    let ids: Vec<String> = runs.iter().map(|r| r.id().to_owned()).collect();
    // Each block from the state before it, and the two-block chains whole.
    assert_eq!(ids.len(), 10, "{ids:?}");
    for id in [
        "blocktest/tloadDoesNotPersistAcrossBlocks/tloadDoesNotPersistAcrossBlocks_Cancun/Cancun/chain",
        "blocktest/tloadDoesNotPersistAcrossBlocks/tloadDoesNotPersistAcrossBlocks_Cancun/Cancun/block2",
        "blocktest/eest_eip7002_el_triggerable_withdrawals__test_eip_7002/test_eip_7002_fork_Prague-blockchain_test-single_withdrawal_request/Prague/block1",
        "blocktest/benchmark_v0_0_7__empty_block__Osaka_1M/test_empty_block_fork_Osaka-blockchain_test-benchmark-gas-value_1M/Osaka/block1",
        "blocktest/ethbench_own_chain/ethbench_own_chain/Prague/chain",
    ] {
        assert!(ids.iter().any(|i| i == id), "{id} in {ids:?}");
    }
    for run in &mut runs {
        // Verify again from a rebuilt state, as every runner does before timing.
        run.verify().unwrap_or_else(|e| panic!("{e}"));
    }
}

#[test]
fn fork_and_filter_select_workloads() {
    let prague = BlockTestInput { paths: vec![dir()], fork: Some("prague".into()), filter: None };
    let (runs, report) = workloads(&prague).unwrap();
    assert_eq!(runs.len(), 6, "{report}");
    assert!(report.contains("2 of other forks (--fork)"), "{report}");
    let filtered = BlockTestInput { paths: vec![dir()], fork: None, filter: Some("/block1".into()) };
    let (runs, report) = workloads(&filtered).unwrap();
    assert_eq!(runs.len(), 4, "{report}");
}

#[test]
fn the_cli_runs_a_blockchain_test_and_reports_gas() {
    let file = dir().join(TLOAD);
    let (code, stdout, stderr) = common::ethbench(&["run", "blocktest", file.to_str().unwrap(), "--iters", "2"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("blocktest: 1 files, 1 tests, 2 blocks matched"), "{stdout}");
    assert!(stdout.contains("Cancun/block1: 2 iterations"), "{stdout}");
    assert!(stdout.contains("MGas/s"), "{stdout}");
}

/// The tload test's block 2 with its header's state root changed and `expectException` set,
/// placed before the real block 2.
fn with_invalid_block(json: &mut serde_json::Value, expect_exception: bool) {
    let blocks = common::first_test(json)["blocks"].as_array_mut().unwrap();
    let mut bad = blocks[1].clone();
    let rlp = alloy_primitives::hex::decode(bad["rlp"].as_str().unwrap()).unwrap();
    let mut block = alloy_consensus::Block::<alloy_consensus::TxEnvelope>::decode(&mut rlp.as_slice()).unwrap();
    block.header.state_root = B256::repeat_byte(0x11);
    let mut out = Vec::new();
    block.encode(&mut out);
    bad["rlp"] = format!("0x{}", alloy_primitives::hex::encode(out)).into();
    bad.as_object_mut().unwrap().remove("blockHeader");
    if expect_exception {
        bad["expectException"] = "BlockException.INVALID_STATE_ROOT".into();
    }
    blocks.insert(1, bad);
}

#[test]
fn an_invalid_block_is_refused_and_the_chain_goes_on_without_it() {
    let tmp = tempfile::tempdir().unwrap();
    let file = edited(tmp.path(), TLOAD, |j| with_invalid_block(j, true));
    let (runs, report) = workloads(&input(vec![file])).unwrap_or_else(|e| panic!("{e}"));
    assert!(report.contains("3 blocks matched their fixture (2 executed"), "{report}");
    assert!(report.contains("1 rejected as expected"), "{report}");
    assert_eq!(runs.len(), 3);
}

#[test]
fn a_block_with_a_wrong_state_root_is_refused_in_one_line() {
    let tmp = tempfile::tempdir().unwrap();
    let file = edited(tmp.path(), TLOAD, |j| with_invalid_block(j, false));
    common::assert_refused(
        &["run", "blocktest", file.to_str().unwrap()],
        "Cancun: block 2 (index 1): state root is 0x",
    );
}

#[test]
fn a_valid_block_the_fixture_expects_refused_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let file = edited(tmp.path(), TLOAD, |j| {
        common::first_test(j)["blocks"][1]["expectException"] = "TransactionException.INTRINSIC_GAS_TOO_LOW".into();
    });
    common::assert_refused(
        &["run", "blocktest", file.to_str().unwrap()],
        "block 2 (index 1) was accepted, but the fixture expects it refused",
    );
}

#[test]
fn the_committed_corrupted_fixture_is_refused() {
    let file = ethbench::Fixtures::default_dir().join(ethbench::data::CORRUPTED_BLOCK_TEST);
    common::assert_refused(
        &["run", "blocktest", file.to_str().unwrap()],
        "ethbench_own_chain/Prague: the chain's post-state root is 0x",
    );
}

#[test]
fn a_wrong_post_state_or_last_block_hash_is_refused_in_one_line() {
    let tmp = tempfile::tempdir().unwrap();
    let file = edited(tmp.path(), TLOAD, |j| {
        let post = common::first_test(j)["postState"].as_object_mut().unwrap();
        let account = post.values_mut().next().unwrap();
        account["balance"] = "0x01".into();
    });
    common::assert_refused(&["run", "blocktest", file.to_str().unwrap()], "the chain's post-state root is 0x");

    let file = edited(tmp.path(), TLOAD, |j| {
        common::first_test(j)["lastblockhash"] =
            "0x1111111111111111111111111111111111111111111111111111111111111111".into();
    });
    common::assert_refused(&["run", "blocktest", file.to_str().unwrap()], "last block hash is 0x");
}

#[test]
fn bad_blockchain_test_files_are_refused_in_one_line_naming_file_and_path() {
    let tmp = tempfile::tempdir().unwrap();
    let missing = tmp.path().join("missing.json");
    common::assert_refused(&["run", "blocktest", missing.to_str().unwrap()], "missing.json: no such file or directory");

    let not_json = tmp.path().join("notes.json");
    std::fs::write(&not_json, "this is not JSON").unwrap();
    common::assert_refused(&["run", "blocktest", not_json.to_str().unwrap()], "notes.json: is not JSON");

    let state_test = ethbench::Fixtures::default_dir().join("statetests/log4.json");
    common::assert_refused(
        &["run", "blocktest", state_test.to_str().unwrap()],
        "log4.json: is not a valid blockchain test (`blockchain_test` JSON): at `log4`",
    );

    let cases: [(&str, common::Edit, &str); 3] = [
        (
            "old_network.json",
            |j| common::first_test(j)["network"] = "Frontier".into(),
            "nothing left to run: skipped: 1 tests of networks this runner does not support (Frontier 1)",
        ),
        (
            "odd_hex.json",
            |j| common::first_test(j)["blocks"][0]["rlp"] = "0xabc".into(),
            "at `tloadDoesNotPersistAcrossBlocks_Cancun.blocks[0].rlp`",
        ),
        (
            "bad_address.json",
            |j| {
                let pre = common::first_test(j)["pre"].as_object_mut().unwrap();
                let account = pre.values().next().unwrap().clone();
                pre.insert("0x12345".into(), account);
            },
            "at `tloadDoesNotPersistAcrossBlocks_Cancun.pre",
        ),
    ];
    for (name, edit, needle) in cases {
        let file = edited(tmp.path(), TLOAD, edit);
        let renamed = tmp.path().join(name);
        std::fs::rename(&file, &renamed).unwrap();
        common::assert_refused(&["run", "blocktest", renamed.to_str().unwrap()], needle);
        common::assert_refused(&["run", "blocktest", renamed.to_str().unwrap()], name);
    }
}
