//! The block pipeline: every stage of the small block verified, every
//! generated block reproducing the execution specification's filled header
//! on the 10⁴ tier (the incremental root also held to the root from scratch
//! of the committed state), a wrong block refused at the stage that finds
//! it with the state left as it was, and the command line's errors in one line.

mod common;

use std::sync::Mutex;

use alloy_primitives::B256;
use ethbench::groups::pipeline::{self, block::BLOCKS, stages};
use ethbench::groups::scale::Tier;
use ethbench::Fixtures;

/// The tests share the cached state's copy: one at a time.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

fn fixtures() -> Fixtures {
    Fixtures::open_default().unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn every_stage_of_the_small_block_verifies() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let mut all = pipeline::workloads(&fixtures(), ethbench::Select::ALL).unwrap_or_else(|e| panic!("{e}"));
    let ids: Vec<&str> = all.iter().map(|w| w.id()).collect();
    let stages: Vec<&str> = stages::Stage::ALL.iter().map(|s| s.name()).collect();
    assert_eq!(ids, stages.iter().map(|s| format!("pipeline/mixed_3m_1e4/{s}")).collect::<Vec<_>>());
    for w in &mut all {
        w.verify().unwrap_or_else(|e| panic!("{e}"));
    }
}

#[test]
fn every_generated_block_reproduces_the_execution_specification_at_1e4() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let fx = fixtures();
    for (name, gas_limit) in BLOCKS {
        // `prepare` refuses a block whose gas, receipts root, bloom, requests
        // hash, transactions root or state root differs from the
        // specification's, or whose incremental root differs from the
        // committed state's root from scratch.
        let block = pipeline::prepare(&fx, name, gas_limit, Tier(4)).unwrap_or_else(|e| panic!("{name}: {e}"));
        let reference: ethbench::data::PipelineReference = fx.json(&format!("pipeline/{name}.json")).unwrap();
        assert!(reference.computed_by.contains("ethereum-execution"), "{}", reference.computed_by);
        assert_eq!(block.prepared.header.state_root, reference.state_root, "{name}");
        assert_eq!(block.gas_used, reference.gas_used, "{name}");
        assert!(block.gas_used > gas_limit * 9 / 10, "{name} uses {} of {gas_limit} gas", block.gas_used);
        assert_eq!(block.db.stored_root().unwrap(), Some(reference.pre_state_root), "{name} left the state changed");
        let mix = ethbench::groups::pipeline::block::generate(&fx, name, gas_limit, Tier(4)).unwrap().mix;
        assert!(
            mix.transfers > 0 && mix.erc20 > 0 && mix.swaps > 0 && mix.storage_calls > 0 && mix.creations > 0,
            "{name}: {mix:?}"
        );
    }
}

/// `block` with its header changed by `edit`, as RLP.
fn edited(block: &stages::Block, edit: impl Fn(&mut alloy_consensus::Header)) -> Vec<u8> {
    let mut header = block.prepared.header.clone();
    edit(&mut header);
    stages::encode(&header, &block.prepared)
}

#[test]
fn a_wrong_block_is_refused_at_the_stage_that_finds_it_and_nothing_is_written() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let (name, gas_limit) = BLOCKS[0];
    let block = pipeline::prepare(&fixtures(), name, gas_limit, Tier(4)).unwrap_or_else(|e| panic!("{e}"));
    let before = block.db.stored_root().unwrap();
    let mut truncated = block.rlp.clone();
    truncated.truncate(truncated.len() - 10);
    let cases: [(&str, Vec<u8>, stages::Stage, &str); 4] = [
        ("a truncated block", truncated, stages::Stage::Decode, "does not decode"),
        (
            "a wrong transactions root",
            edited(&block, |h| h.transactions_root = B256::repeat_byte(1)),
            stages::Stage::Decode,
            "transactions root",
        ),
        (
            "a wrong receipts root",
            edited(&block, |h| h.receipts_root = B256::repeat_byte(2)),
            stages::Stage::Execute,
            "receipts root",
        ),
        (
            "a wrong state root",
            edited(&block, |h| h.state_root = B256::repeat_byte(3)),
            stages::Stage::StateRoot,
            "the state root",
        ),
    ];
    for (what, rlp, stage, says) in cases {
        let refused = stages::import(&block.db, &block.chain, &block.ancestors, &rlp).expect_err(what);
        assert_eq!(refused.stage, stage, "{what}: {refused}");
        let line = refused.to_string();
        assert!(line.contains(says) && line.contains("nothing was written") && !line.contains('\n'), "{what}: {line}");
        assert_eq!(block.db.stored_root().unwrap(), before, "{what} changed the state");
    }
    // The right block is accepted, and the commit's undo puts the state back.
    let imported =
        stages::import(&block.db, &block.chain, &block.ancestors, &block.rlp).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(imported.state_root, block.prepared.header.state_root);
    assert_eq!(block.db.stored_root().unwrap(), Some(imported.state_root));
    stages::undo(&block).unwrap();
    assert_eq!(block.db.stored_root().unwrap(), before);
}

#[test]
fn the_committing_stages_leave_the_state_as_they_found_it() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let fx = fixtures();
    let (name, gas_limit) = BLOCKS[0];
    let which = [stages::Stage::Commit, stages::Stage::Import];
    for mut w in pipeline::block_workloads(&fx, name, gas_limit, Tier(4), &which) {
        w.verify().unwrap_or_else(|e| panic!("{e}"));
        w.time(3).unwrap_or_else(|e| panic!("{e}"));
    }
    let block = pipeline::prepare(&fx, name, gas_limit, Tier(4)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(block.db.stored_root().unwrap(), Some(block.db.pre_root));
}

#[test]
fn the_pipeline_command_refuses_bad_input_in_one_line() {
    common::assert_refused(
        &["pipeline", "--blocks", "mixed_1m"],
        "there is no block `mixed_1m`; the blocks are mixed_3m, mixed_30m, mixed_60m",
    );
    common::assert_refused(&["pipeline", "--tier", "1e9"], "there is no tier 1e9; the tiers are 1e4 to 1e8");
    common::assert_refused(&["pipeline", "--spec", "x.json"], "--spec needs the block: --blocks mixed_3m");
}

fn temp_states() -> usize {
    std::fs::read_dir(std::env::temp_dir())
        .map(|d| d.flatten().filter(|e| e.file_name().to_string_lossy().starts_with("ethbench-mdbx-")).count())
        .unwrap_or(0)
}

#[test]
fn blockchain_tests_go_through_the_pipeline_and_leave_nothing_behind() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    // The project's own chain: its first block clears a slot and is imported
    // untimed (the incremental root's deletion path, held to the header);
    // its second is the one whose stages run.
    let own = std::path::PathBuf::from("fixtures/blocktests/ethbench_own_chain.json");
    let pipeline::input::Inputs { blocks, skipped } =
        pipeline::input::blocks(std::slice::from_ref(&own)).unwrap_or_else(|e| panic!("{e}"));
    assert!(skipped.is_empty(), "{skipped:?}");
    let mut all = pipeline::prepared_workloads(blocks);
    assert_eq!(all.len(), stages::Stage::ALL.len());
    for w in &mut all {
        assert!(w.id().starts_with("pipeline/ethbench_own_chain/ethbench_own_chain/Prague/"), "{}", w.id());
        w.verify().unwrap_or_else(|e| panic!("{e}"));
    }
    drop(all);

    let before = temp_states();
    let (code, stdout, stderr) = common::ethbench(&["pipeline", "--input", "fixtures/blocktests", "--seconds", "0.05"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("import (whole)") && stdout.contains("ethbench_own_chain"), "{stdout}");
    assert_eq!(temp_states(), before, "a temporary state was left behind");

    common::assert_refused(
        &["pipeline", "--input", "fixtures/corrupted/ethbench_own_chain_wrong_post_root.json"],
        "the last block's state root (against the fixture's `postState`)",
    );
    assert_eq!(temp_states(), before, "a refused test left its temporary state behind");
}
