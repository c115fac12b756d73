//! The community's blockchain tests as workloads (`ethbench run|bench
//! blocktest PATH…`): execution-spec-tests and ethereum/tests
//! `blockchain_test` JSON, the format of EEST's benchmark releases.
//!
//! Each block is decoded from its RLP, its senders recovered, its header
//! checked against its parent, and it is executed on the state the block
//! before left, as reth does: alloy-evm's Ethereum block executor on revm,
//! with the system calls (EIP-4788 beacon root, EIP-2935 block hashes,
//! EIP-7002/7251 requests), EIP-6110 deposits, withdrawals and receipts.
//! Every block must reproduce its header's gas used, blob gas used,
//! receipts root, logs bloom, requests hash and state root; a block marked
//! `expectException` must be refused, and leaves the chain where it was.
//! In the end the last block's hash must be the fixture's `lastblockhash`,
//! and the state's root that of the fixture's `postState`, both computed
//! with alloy-trie.
//!
//! Only execution is timed: decoding, sender recovery, the header checks
//! and the roots are done untimed, and the state is rebuilt before each run.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use alloy_primitives::{Address, B256};
use revm::database::{CacheState, EmptyDB, State};
use revm::state::{AccountInfo, Bytecode};
use revm_statetest_types::blockchain::{BlockchainTest, BlockchainTestCase};

use super::community::{json_files, read_json, runnable, state_root, test_label, Skipped};
use super::input_error;
use crate::groups::chain::{check_executed, check_header, execute, prepare_block, Chain, Executed, Prepared};
use crate::measure::error::Error;
use crate::measure::workload::Workload;
use crate::measure::workload::{expect_eq, stateful_case, Hooks, Throughput};

/// What `ethbench run|bench blocktest` was given.
pub struct BlockTestInput {
    /// Files, or directories read recursively for `*.json`.
    pub paths: Vec<PathBuf>,
    /// Only tests of this network (`Cancun`, `Prague`, `Osaka`, …).
    pub fork: Option<String>,
    /// Only workloads whose id contains this.
    pub filter: Option<String>,
}

/// A run of consecutive valid blocks from the state before the first.
struct Run {
    chain: Arc<Chain>,
    blocks: Arc<Vec<Prepared>>,
    range: Range<usize>,
    /// The state before `blocks[range.start]`.
    start: CacheState,
    /// Number and hash of the genesis and every valid block, in order.
    hashes: Arc<Vec<(u64, B256)>>,
    state: State<EmptyDB>,
}

impl Run {
    fn new(
        chain: Arc<Chain>,
        blocks: Arc<Vec<Prepared>>,
        range: Range<usize>,
        start: CacheState,
        hashes: Arc<Vec<(u64, B256)>>,
    ) -> Self {
        let state = fresh_state(&start, &hashes[..=range.start]);
        Run { chain, blocks, range, start, hashes, state }
    }

    fn rebuild(&mut self) {
        self.state = fresh_state(&self.start, &self.hashes[..=self.range.start]);
    }

    /// Execute and commit every block of the run, stopping at the first that fails.
    fn execute(&mut self) -> Result<Vec<Executed>, (usize, String)> {
        let mut out = Vec::with_capacity(self.range.len());
        for i in self.range.clone() {
            out.push(execute(&mut self.state, &self.chain, &self.blocks[i]).map_err(|e| (i, e))?);
        }
        Ok(out)
    }
}

/// `start` as revm's state, with the hashes of the last 256 of `ancestors` for BLOCKHASH.
fn fresh_state(start: &CacheState, ancestors: &[(u64, B256)]) -> State<EmptyDB> {
    let mut state = State::builder().with_cached_prestate(start.clone()).build();
    for &(number, hash) in ancestors.iter().rev().take(256) {
        state.block_hashes.insert(number, hash);
    }
    state
}

/// Counts for the report printed before measuring.
#[derive(Default)]
struct Tally {
    files: usize,
    tests: usize,
    blocks: usize,
    rejected: usize,
    gas: u64,
    skipped: Skipped,
}

pub fn workloads(input: &BlockTestInput) -> Result<(Vec<Box<dyn Workload>>, String), Error> {
    let files = json_files("blocktest", &input.paths)?;
    let mut tally = Tally::default();
    let mut all: Vec<Box<dyn Workload>> = Vec::new();
    for file in &files {
        let suite: BlockchainTest = read_json(file, "blockchain test (`blockchain_test` JSON)")?;
        let chain_ids = chain_ids(file)?;
        tally.files += 1;
        let stem = super::stem(file);
        for (name, test) in &suite.0 {
            tally.tests += 1;
            let chain_id = chain_ids.get(name).copied().unwrap_or(1);
            all.extend(test_workloads(file, &stem, name, test, chain_id, input, &mut tally)?);
        }
    }
    let skipped = tally.skipped.describe("tests of networks", "workloads");
    let all = runnable(&input.paths, all, skipped.clone())?;
    let report = format!(
        "blocktest: {} files, {} tests, {} blocks matched their fixture ({} executed with state root, receipts root, bloom and gas equal, {} rejected as expected; {} gas in all); {}",
        tally.files,
        tally.tests,
        tally.blocks,
        tally.blocks - tally.rejected,
        tally.rejected,
        tally.gas,
        skipped
    );
    Ok((all, report))
}

/// Each test's chain id (`config.chainid`, 1 when absent); revm's types leave `config` out.
pub(crate) fn chain_ids(file: &Path) -> Result<BTreeMap<String, u64>, Error> {
    let ids: BTreeMap<String, ChainId> = read_json(file, "blockchain test (`blockchain_test` JSON)")?;
    Ok(ids.into_iter().map(|(name, c)| (name, c.config.map_or(1, |c| c.chainid.to::<u64>()))).collect())
}

#[derive(serde::Deserialize)]
struct ChainId {
    config: Option<ChainConfig>,
}

#[derive(serde::Deserialize)]
struct ChainConfig {
    chainid: alloy_primitives::U64,
}

/// One test's chain, verified block by block once; its workloads time each
/// valid block from the state before it, and the whole chain when it has more than one.
fn test_workloads(
    file: &Path,
    stem: &str,
    name: &str,
    test: &BlockchainTestCase,
    chain_id: u64,
    input: &BlockTestInput,
    tally: &mut Tally,
) -> Result<Vec<Box<dyn Workload>>, Error> {
    let network = format!("{:?}", test.network);
    let Some(chain) = Chain::new(test.network, chain_id) else {
        *tally.skipped.unsupported.entry(network).or_default() += 1;
        return Ok(Vec::new());
    };
    if input.fork.as_deref().is_some_and(|f| !f.eq_ignore_ascii_case(&network)) {
        tally.skipped.other_fork += 1;
        return Ok(Vec::new());
    }
    let prefix = format!("blocktest/{stem}/{}/{network}", test_label(name));
    let refuse = |problem: String| input_error(file, format!("{prefix}: {problem}"));
    let chain = Arc::new(chain);

    let genesis_rlp = test.genesis_rlp.as_ref().ok_or_else(|| refuse("has no genesisRLP".into()))?;
    let genesis = prepare_block(genesis_rlp, &[]).map_err(|e| refuse(format!("genesis: {e}")))?;
    expect_eq("genesis hash", genesis.hash, test.genesis_block_header.hash).map_err(refuse)?;
    let mut start = pre_state(&test.pre.0);
    expect_eq("genesis state root (of `pre`)", state_root(&start), genesis.header.state_root).map_err(refuse)?;

    // Verify the chain once, keeping the valid blocks and the state before each.
    let mut valid: Vec<Prepared> = Vec::new();
    let mut before: Vec<CacheState> = Vec::new();
    let mut hashes = vec![(genesis.header.number, genesis.hash)];
    let (mut parent, mut parent_hash) = (genesis.header.clone(), genesis.hash);
    for (i, block) in test.blocks.iter().enumerate() {
        let at =
            format!("block {} (index {i})", block.block_header.as_ref().map_or(i as u64 + 1, |h| h.number.to::<u64>()));
        let senders: Vec<Option<Address>> = block.transactions.iter().flatten().map(|t| t.sender).collect();
        let mut state = fresh_state(&start, &hashes);
        let outcome = prepare_block(&block.rlp, &senders)
            .and_then(|b| check_header(&chain, &parent, parent_hash, &b.header).map(|()| b))
            .and_then(|b| {
                let executed = execute(&mut state, &chain, &b)?;
                check_executed(&b, &executed)?;
                expect_eq("state root", state_root(&state.cache), b.header.state_root)?;
                Ok((b, executed))
            });
        match (outcome, &block.expect_exception) {
            (Ok((b, executed)), None) => {
                if let Some(h) = &block.block_header {
                    expect_eq("hash (the fixture's blockHeader.hash)", b.hash, h.hash)
                        .map_err(|e| refuse(format!("{at}: {e}")))?;
                }
                tally.blocks += 1;
                tally.gas += executed.gas_used;
                hashes.push((b.header.number, b.hash));
                (parent, parent_hash) = (b.header.clone(), b.hash);
                before.push(std::mem::replace(&mut start, state.cache));
                valid.push(b);
            }
            (Err(_), Some(_)) => {
                tally.blocks += 1;
                tally.rejected += 1;
            }
            (Ok(_), Some(exception)) => {
                return Err(refuse(format!("{at} was accepted, but the fixture expects it refused ({exception})")))
            }
            (Err(e), None) => return Err(refuse(format!("{at}: {e}"))),
        }
    }
    expect_eq("last block hash", parent_hash, test.lastblockhash).map_err(refuse)?;
    if let Some(post) = &test.post_state {
        let (root, expected) = (state_root(&start), state_root(&pre_state(post)));
        if root != expected {
            return Err(refuse(format!(
                "the chain's post-state root is {root}, the fixture's `postState` has root {expected}"
            )));
        }
    }

    let blocks = Arc::new(valid);
    let hashes = Arc::new(hashes);
    let mut out = Vec::new();
    let mut add = |id: String, range: Range<usize>, start: CacheState| {
        if input.filter.as_deref().is_some_and(|f| !id.contains(f)) {
            tally.skipped.filtered += 1;
            return;
        }
        let gas: u64 = blocks[range.clone()].iter().map(|b| b.header.gas_used).sum();
        let count = range.len();
        let about = format!("{name} under {network}: {count} block(s), {gas} gas; roots, bloom and gas checked");
        let run = Run::new(chain.clone(), blocks.clone(), range, start, hashes.clone());
        let hooks = Hooks {
            reset: Some(|r: &mut Run| {
                r.rebuild();
                Ok(())
            }),
            notes: None,
        };
        out.push(stateful_case(id, about, Throughput::Gas(gas), run, hooks, Run::execute, check_run));
    };
    if blocks.len() > 1 {
        add(format!("{prefix}/chain"), 0..blocks.len(), before[0].clone());
    }
    for (i, start) in before.into_iter().enumerate() {
        add(format!("{prefix}/block{}", blocks[i].header.number), i..i + 1, start);
    }
    Ok(out)
}

/// Every block of a run reproduced its header; the state the run left has the last block's root.
fn check_run(run: &Run, outcome: Result<Vec<Executed>, (usize, String)>) -> Result<(), String> {
    let executed = outcome.map_err(|(i, e)| format!("block {}: {e}", run.blocks[i].header.number))?;
    for (block, result) in run.blocks[run.range.clone()].iter().zip(&executed) {
        check_executed(block, result).map_err(|e| format!("block {}: {e}", block.header.number))?;
    }
    let last = &run.blocks[run.range.end - 1];
    expect_eq("state root", state_root(&run.state.cache), last.header.state_root)
        .map_err(|e| format!("block {}: {e}", last.header.number))
}

/// A test's `pre` or `postState` as revm's cache.
pub(crate) fn pre_state(accounts: &BTreeMap<Address, revm_statetest_types::blockchain::Account>) -> CacheState {
    let mut cache = CacheState::new();
    for (address, account) in accounts {
        let code = Bytecode::new_raw(account.code.clone());
        let info = AccountInfo::new(account.balance, account.nonce.to::<u64>(), code.hash_slow(), code);
        cache.insert_account_with_storage(*address, info, account.storage.iter().map(|(k, v)| (*k, *v)).collect());
    }
    cache
}
