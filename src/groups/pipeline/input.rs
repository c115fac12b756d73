//! Blockchain tests through the pipeline (`ethbench pipeline --input
//! PATH…`), such as an execution-spec-tests benchmark release: each test's
//! `pre` written to a fresh MDBX state in a temporary directory (removed
//! when done, also on failure; one left by a killed run is removed at the
//! next start), its root held to the genesis header's, every valid block
//! but the last imported untimed, and the last one made ready for its
//! stages, held to its own header: receipts root, gas, bloom, requests hash
//! and state root, which must also be the root of the test's `postState`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use alloy_primitives::{Address, B256};
use revm_statetest_types::blockchain::BlockchainTestCase;

use super::block::AllocAccount;
use super::stages::{self, Block};
use super::state;
use crate::groups::chain::{check_executed, prepare_block, Chain};
use crate::groups::inputs::community::{json_files, read_json, test_label};
use crate::groups::inputs::{input_error, stem};
use crate::measure::error::Error;
use crate::measure::workload::expect_eq;

/// The blocks of some blockchain tests, ready for their stages.
pub struct Inputs {
    /// Each test's last valid block, ready on the state the blocks before it left, with its id prefix.
    pub blocks: Vec<(String, Block)>,
    /// Tests left out, and why.
    pub skipped: Vec<String>,
}

/// Every test of the JSON files in `paths`.
pub fn blocks(paths: &[PathBuf]) -> Result<Inputs, Error> {
    crate::groups::db::env::remove_stale_dirs();
    let files = json_files("pipeline --input", paths)?;
    let (mut out, mut skipped) = (Vec::new(), Vec::new());
    for file in &files {
        let suite: revm_statetest_types::blockchain::BlockchainTest =
            read_json(file, "blockchain test (`blockchain_test` JSON)")?;
        let chain_ids = crate::groups::inputs::blocktest::chain_ids(file)?;
        for (name, test) in &suite.0 {
            let network = format!("{:?}", test.network);
            let id = format!("{}/{}/{network}", stem(file), test_label(name));
            let Some(chain) = Chain::new(test.network, chain_ids.get(name).copied().unwrap_or(1)) else {
                skipped.push(format!("{id}: network {network} is not one the runner executes"));
                continue;
            };
            match test_block(&id, test, chain) {
                Ok(Some(block)) => out.push((id, block)),
                Ok(None) => skipped.push(format!("{id}: no valid block")),
                Err(problem) => return Err(input_error(file, format!("{id}: {problem}"))),
            }
        }
    }
    if out.is_empty() {
        let why = if skipped.is_empty() { "no test".to_string() } else { skipped.join("; ") };
        return Err(input_error(&paths[0], format!("holds no block the pipeline can run ({why})")));
    }
    Ok(Inputs { blocks: out, skipped })
}

fn alloc(accounts: &BTreeMap<Address, revm_statetest_types::blockchain::Account>) -> BTreeMap<Address, AllocAccount> {
    accounts
        .iter()
        .map(|(address, a)| {
            let storage = a.storage.iter().filter(|(_, v)| !v.is_zero()).map(|(k, v)| (*k, *v)).collect();
            let account =
                AllocAccount { nonce: a.nonce.to::<u64>(), balance: a.balance, code: a.code.clone(), storage };
            (*address, account)
        })
        .collect()
}

fn test_block(id: &str, test: &BlockchainTestCase, chain: Chain) -> Result<Option<Block>, String> {
    let mut db = state::fresh(&alloc(&test.pre.0))?;
    expect_eq(
        "the state root of `pre` (against the genesis header's)",
        db.pre_root,
        test.genesis_block_header.state_root,
    )?;
    let valid: Vec<_> = test.blocks.iter().filter(|b| b.expect_exception.is_none()).collect();
    let Some((last, before)) = valid.split_last() else { return Ok(None) };
    let mut ancestors: Vec<(u64, B256)> =
        vec![(test.genesis_block_header.number.to::<u64>(), test.genesis_block_header.hash)];
    let senders = |b: &revm_statetest_types::blockchain::Block| -> Vec<Option<Address>> {
        b.transactions.iter().flatten().map(|t| t.sender).collect()
    };
    for (i, b) in before.iter().enumerate() {
        let at = |e: String| format!("block {} (index {i}): {e}", i + 1);
        let block = prepare_block(&b.rlp, &senders(b)).map_err(at)?;
        let (executed, bundle) = stages::execute(&db, &chain, &block, &ancestors).map_err(at)?;
        check_executed(&block, &executed).map_err(at)?;
        let hashed = stages::hash_state(&bundle).map_err(at)?;
        let (root, updates) = stages::state_root(&db, &hashed).map_err(at)?;
        expect_eq("the state root", root, block.header.state_root).map_err(at)?;
        db.advance(&super::write::Batch::of(&updates, &hashed.slots, &hashed.codes), root).map_err(at)?;
        ancestors.push((block.header.number, block.hash));
    }
    let block = prepare_block(&last.rlp, &senders(last)).map_err(|e| format!("its last block: {e}"))?;
    if let Some(post) = &test.post_state {
        let expected = crate::groups::inputs::community::state_root(&crate::groups::inputs::blocktest::pre_state(post));
        expect_eq(
            "the last block's state root (against the fixture's `postState`)",
            block.header.state_root,
            expected,
        )?;
    }
    let about = format!("{} transactions, from a blockchain test", block.transactions.len());
    stages::prepare(id, db, chain, block, ancestors, true, about).map(Some)
}
