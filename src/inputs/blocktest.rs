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

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use alloy_consensus::transaction::{Recovered, SignerRecoverable};
use alloy_consensus::{proofs, Header, ReceiptEnvelope, TxEnvelope, TxReceipt, EMPTY_OMMER_ROOT_HASH};
use alloy_eips::eip1559::{BaseFeeParams, INITIAL_BASE_FEE};
use alloy_eips::eip6110::MAINNET_DEPOSIT_CONTRACT_ADDRESS;
use alloy_eips::eip7840::BlobParams;
use alloy_evm::block::{BlockExecutionResult, BlockExecutor};
use alloy_evm::eth::receipt_builder::AlloyReceiptBuilder;
use alloy_evm::eth::spec::EthExecutorSpec;
use alloy_evm::eth::{EthBlockExecutionCtx, EthBlockExecutor};
use alloy_evm::{EthEvmFactory, EvmEnv, EvmFactory};
use alloy_hardforks::{EthereumChainHardforks, EthereumHardfork, EthereumHardforks, ForkCondition};
use alloy_primitives::{Address, Bloom, B256, U256};
use alloy_rlp::Decodable;
use revm::database::{CacheState, EmptyDB, State};
use revm::state::{AccountInfo, Bytecode};
use revm_statetest_types::blockchain::{BlockchainTest, BlockchainTestCase, ForkSpec};

use super::community::{json_files, read_json, runnable, state_root, test_label, Skipped};
use super::input_error;
use crate::workload::{expect_eq, stateful_case, Hooks, Throughput};
use crate::{Error, Workload};

/// What `ethbench run|bench blocktest` was given.
pub struct BlockTestInput {
    /// Files, or directories read recursively for `*.json`.
    pub paths: Vec<PathBuf>,
    /// Only tests of this network (`Cancun`, `Prague`, `Osaka`, …).
    pub fork: Option<String>,
    /// Only workloads whose id contains this.
    pub filter: Option<String>,
}

/// A test's network: every fork up to the last active from genesis, and
/// for the transition networks the next one at timestamp 15,000.
#[derive(Debug, Clone)]
struct Chain {
    forks: EthereumChainHardforks,
    chain_id: u64,
}

impl EthereumHardforks for Chain {
    fn ethereum_fork_activation(&self, fork: EthereumHardfork) -> ForkCondition {
        self.forks.ethereum_fork_activation(fork)
    }
}

impl EthExecutorSpec for Chain {
    fn deposit_contract_address(&self) -> Option<Address> {
        Some(MAINNET_DEPOSIT_CONTRACT_ADDRESS)
    }
}

impl Chain {
    /// The network's forks, or `None` for a network this runner does not run:
    /// before Byzantium (receipts carry a state root, not a status) and after Osaka.
    fn new(network: ForkSpec, chain_id: u64) -> Option<Self> {
        use EthereumHardfork as H;
        let (last, next) = match network {
            ForkSpec::Byzantium => (H::Byzantium, None),
            ForkSpec::ConstantinopleFix => (H::Petersburg, None),
            ForkSpec::Istanbul => (H::Istanbul, None),
            ForkSpec::Berlin => (H::Berlin, None),
            ForkSpec::London => (H::London, None),
            ForkSpec::Paris => (H::Paris, None),
            ForkSpec::Shanghai => (H::Shanghai, None),
            ForkSpec::Cancun => (H::Cancun, None),
            ForkSpec::Prague => (H::Prague, None),
            ForkSpec::Osaka => (H::Osaka, None),
            ForkSpec::ParisToShanghaiAtTime15k => (H::Paris, Some(H::Shanghai)),
            ForkSpec::ShanghaiToCancunAtTime15k => (H::Shanghai, Some(H::Cancun)),
            ForkSpec::CancunToPragueAtTime15k => (H::Cancun, Some(H::Prague)),
            ForkSpec::PragueToOsakaAtTime15k => (H::Prague, Some(H::Osaka)),
            _ => return None,
        };
        let mainnet = H::mainnet();
        let upto = mainnet.iter().position(|(f, _)| *f == last)?;
        let mut forks: Vec<(H, ForkCondition)> = mainnet[..=upto]
            .iter()
            .filter(|(f, _)| *f != H::Dao)
            .map(|(f, condition)| {
                let at_genesis = match condition {
                    ForkCondition::TTD { .. } => ForkCondition::TTD {
                        activation_block_number: 0,
                        fork_block: None,
                        total_difficulty: U256::ZERO,
                    },
                    ForkCondition::Timestamp(_) => ForkCondition::ZERO_TIMESTAMP,
                    _ => ForkCondition::ZERO_BLOCK,
                };
                (*f, at_genesis)
            })
            .collect();
        if let Some(next) = next {
            forks.push((next, ForkCondition::Timestamp(15_000)));
        }
        Some(Chain { forks: EthereumChainHardforks::new(forks), chain_id })
    }

    /// The blob schedule in force at `timestamp` (EIP-4844, EIP-7691, EIP-7918).
    fn blob_params(&self, timestamp: u64) -> Option<BlobParams> {
        if self.is_osaka_active_at_timestamp(timestamp) {
            Some(BlobParams::osaka())
        } else if self.is_prague_active_at_timestamp(timestamp) {
            Some(BlobParams::prague())
        } else if self.is_cancun_active_at_timestamp(timestamp) {
            Some(BlobParams::cancun())
        } else {
            None
        }
    }
}

/// A block decoded, its senders recovered and its header checked, ready to execute.
struct Prepared {
    hash: B256,
    header: Header,
    ommers: Vec<Header>,
    withdrawals: Option<Vec<alloy_eips::eip4895::Withdrawal>>,
    transactions: Vec<Recovered<TxEnvelope>>,
}

type Executed = BlockExecutionResult<ReceiptEnvelope>;

/// Execute one block on `state`, as a client does after checking its header.
fn execute(state: &mut State<EmptyDB>, chain: &Chain, block: &Prepared) -> Result<Executed, String> {
    let header = &block.header;
    // BLOCKHASH reads revm's 256-entry ring; a run of blocks keeps it current.
    state.block_hashes.insert(header.number.saturating_sub(1), header.parent_hash);
    let env = EvmEnv::for_eth_block(header, chain, chain.chain_id, chain.blob_params(header.timestamp));
    let evm = EthEvmFactory::default().create_evm(state, env);
    let ctx = EthBlockExecutionCtx {
        parent_hash: header.parent_hash,
        parent_beacon_block_root: header.parent_beacon_block_root,
        ommers: &block.ommers,
        withdrawals: block.withdrawals.as_deref().map(Cow::Borrowed),
        extra_data: header.extra_data.clone(),
        tx_count_hint: Some(block.transactions.len()),
        slot_number: None,
    };
    EthBlockExecutor::new(evm, ctx, chain, AlloyReceiptBuilder::default())
        .execute_block(block.transactions.iter())
        .map_err(|e| format!("execution failed: {e}"))
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

/// A block's execution reproduces what its header publishes.
fn check_executed(block: &Prepared, executed: &Executed) -> Result<(), String> {
    let header = &block.header;
    expect_eq("gas used", executed.gas_used, header.gas_used)?;
    if let Some(blob_gas_used) = header.blob_gas_used {
        expect_eq("blob gas used", executed.blob_gas_used, blob_gas_used)?;
    }
    expect_eq("receipts root", proofs::calculate_receipt_root(&executed.receipts), header.receipts_root)?;
    let bloom = executed.receipts.iter().fold(Bloom::ZERO, |bloom, r| bloom | r.bloom());
    expect_eq("logs bloom", bloom, header.logs_bloom)?;
    if let Some(requests_hash) = header.requests_hash {
        expect_eq("requests hash", executed.requests.requests_hash(), requests_hash)?;
    }
    Ok(())
}

/// The checks a header must pass against its parent before its block is executed.
fn check_header(chain: &Chain, parent: &Header, parent_hash: B256, header: &Header) -> Result<(), String> {
    expect_eq("parent hash", header.parent_hash, parent_hash)?;
    expect_eq("number", header.number, parent.number + 1)?;
    if header.timestamp <= parent.timestamp {
        return Err(format!("timestamp {} is not after the parent's {}", header.timestamp, parent.timestamp));
    }
    let bound = parent.gas_limit / 1024;
    if header.gas_limit.abs_diff(parent.gas_limit) >= bound || header.gas_limit < 5000 {
        return Err(format!("gas limit {} is out of bounds for a parent's {}", header.gas_limit, parent.gas_limit));
    }
    if header.gas_used > header.gas_limit {
        return Err(format!("gas used {} is above the gas limit {}", header.gas_used, header.gas_limit));
    }
    if header.extra_data.len() > 32 {
        return Err(format!("extra data is {} bytes, more than 32", header.extra_data.len()));
    }
    if chain.is_london_active_at_block(header.number) {
        let expected = parent.next_block_base_fee(BaseFeeParams::ethereum()).unwrap_or(INITIAL_BASE_FEE);
        expect_eq("base fee", header.base_fee_per_gas, Some(expected))?;
    }
    if chain.is_paris_active_at_block(header.number) {
        expect_eq("difficulty", header.difficulty, U256::ZERO)?;
        expect_eq("nonce", header.nonce, Default::default())?;
        expect_eq("ommers hash", header.ommers_hash, EMPTY_OMMER_ROOT_HASH)?;
    }
    let shanghai = chain.is_shanghai_active_at_timestamp(header.timestamp);
    expect_eq("whether it has a withdrawals root (Shanghai)", header.withdrawals_root.is_some(), shanghai)?;
    let blob_params = chain.blob_params(header.timestamp);
    expect_eq("whether it has blob gas fields (Cancun)", header.excess_blob_gas.is_some(), blob_params.is_some())?;
    if let Some(params) = blob_params {
        let excess = parent.next_block_excess_blob_gas(params).unwrap_or(0);
        expect_eq("excess blob gas", header.excess_blob_gas, Some(excess))?;
        let max = params.max_blob_gas_per_block();
        if header.blob_gas_used.unwrap_or(0) > max {
            return Err(format!("blob gas used {:?} is above the block's maximum {max}", header.blob_gas_used));
        }
        if header.parent_beacon_block_root.is_none() {
            return Err("has no parent beacon block root (Cancun)".into());
        }
    }
    let prague = chain.is_prague_active_at_timestamp(header.timestamp);
    expect_eq("whether it has a requests hash (Prague)", header.requests_hash.is_some(), prague)
}

/// Decode a block from its RLP, check its body against its header and recover its senders.
fn prepare_block(rlp: &[u8], fixture_senders: &[Option<Address>]) -> Result<Prepared, String> {
    let mut bytes = rlp;
    let block = alloy_consensus::Block::<TxEnvelope>::decode(&mut bytes)
        .map_err(|e| format!("its RLP does not decode: {e}"))?;
    if !bytes.is_empty() {
        return Err(format!("its RLP has {} bytes after the block", bytes.len()));
    }
    let header = block.header;
    let body = block.body;
    expect_eq("transactions root", proofs::calculate_transaction_root(&body.transactions), header.transactions_root)?;
    expect_eq("ommers hash", proofs::calculate_ommers_root(&body.ommers), header.ommers_hash)?;
    let withdrawals_root = body.withdrawals.as_ref().map(|w| proofs::calculate_withdrawals_root(w));
    expect_eq("withdrawals root", withdrawals_root, header.withdrawals_root)?;
    let mut transactions = Vec::with_capacity(body.transactions.len());
    for (i, tx) in body.transactions.into_iter().enumerate() {
        let sender = tx.recover_signer().map_err(|e| format!("transaction {i}: no sender can be recovered: {e}"))?;
        if let Some(Some(listed)) = fixture_senders.get(i) {
            expect_eq(&format!("transaction {i}'s recovered sender"), sender, *listed)?;
        }
        transactions.push(Recovered::new_unchecked(tx, sender));
    }
    Ok(Prepared {
        hash: header.hash_slow(),
        header,
        ommers: body.ommers,
        withdrawals: body.withdrawals.map(|w| w.into_inner()),
        transactions,
    })
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
        let chain_ids: BTreeMap<String, ChainId> = read_json(file, "blockchain test (`blockchain_test` JSON)")?;
        tally.files += 1;
        let stem = super::stem(file);
        for (name, test) in &suite.0 {
            tally.tests += 1;
            let chain_id = chain_ids.get(name).and_then(|c| c.config.as_ref()).map_or(1, |c| c.chainid.to::<u64>());
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

/// Only the `config.chainid` of each test; revm's types leave `config` out.
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
fn pre_state(accounts: &BTreeMap<Address, revm_statetest_types::blockchain::Account>) -> CacheState {
    let mut cache = CacheState::new();
    for (address, account) in accounts {
        let code = Bytecode::new_raw(account.code.clone());
        let info = AccountInfo::new(account.balance, account.nonce.to::<u64>(), code.hash_slow(), code);
        cache.insert_account_with_storage(*address, info, account.storage.iter().map(|(k, v)| (*k, *v)).collect());
    }
    cache
}
