//! A block as a client imports it, shared by the blockchain-test runner
//! and the block pipeline: the network's forks, the header checked against
//! its parent, the body decoded and checked against the header, the senders
//! recovered, the block executed with alloy-evm's Ethereum block executor
//! on revm (system calls, withdrawals, requests and receipts included), and
//! the results checked against what the header publishes.

use std::borrow::Cow;

use alloy_consensus::transaction::Recovered;
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
use rayon::prelude::*;
use revm::database::State;
use revm_statetest_types::blockchain::ForkSpec;

use crate::measure::workload::expect_eq;

/// A test's network: every fork up to the last active from genesis, and
/// for the transition networks the next one at timestamp 15,000.
#[derive(Debug, Clone)]
pub struct Chain {
    forks: EthereumChainHardforks,
    pub chain_id: u64,
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
    pub fn new(network: ForkSpec, chain_id: u64) -> Option<Self> {
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
    pub(crate) fn blob_params(&self, timestamp: u64) -> Option<BlobParams> {
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
pub struct Prepared {
    pub hash: B256,
    pub header: Header,
    pub ommers: Vec<Header>,
    pub withdrawals: Option<Vec<alloy_eips::eip4895::Withdrawal>>,
    pub transactions: Vec<Recovered<TxEnvelope>>,
}

pub(crate) type Executed = BlockExecutionResult<ReceiptEnvelope>;

/// Execute one block on `state`, as a client does after checking its header.
pub fn execute<DB: revm::Database + std::fmt::Debug>(
    state: &mut State<DB>,
    chain: &Chain,
    block: &Prepared,
) -> Result<Executed, String> {
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

/// A block's execution reproduces what its header publishes.
pub(crate) fn check_executed(block: &Prepared, executed: &Executed) -> Result<(), String> {
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
pub(crate) fn check_header(chain: &Chain, parent: &Header, parent_hash: B256, header: &Header) -> Result<(), String> {
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

/// A block decoded from its RLP, its body checked against its header; senders not yet recovered.
pub struct Decoded {
    pub hash: B256,
    pub header: Header,
    pub ommers: Vec<Header>,
    pub withdrawals: Option<Vec<alloy_eips::eip4895::Withdrawal>>,
    pub transactions: Vec<TxEnvelope>,
}

/// Decode a block from its RLP and check its body against its header
/// (transactions root, ommers hash, withdrawals root), as a client does before executing it.
pub fn decode(rlp: &[u8]) -> Result<Decoded, String> {
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
    Ok(Decoded {
        hash: header.hash_slow(),
        header,
        ommers: body.ommers,
        withdrawals: body.withdrawals.map(|w| w.into_inner()),
        transactions: body.transactions,
    })
}

/// How senders are recovered: one transaction after another, or spread over rayon's threads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recovery {
    Sequential,
    Rayon,
}

/// Every transaction's sender, with libsecp256k1 as reth recovers them
/// (the recovery group compares it with alloy's default, k256).
pub fn senders(transactions: &[TxEnvelope], how: Recovery) -> Result<Vec<Address>, String> {
    let one = |(i, tx): (usize, &TxEnvelope)| {
        crate::groups::recovery::recover(
            crate::groups::recovery::Backend::Secp256k1,
            tx.signature(),
            &tx.signature_hash(),
        )
        .map_err(|e| format!("transaction {i}: no sender can be recovered: {e:?}"))
    };
    match how {
        Recovery::Sequential => transactions.iter().enumerate().map(one).collect(),
        Recovery::Rayon => transactions.par_iter().enumerate().map(one).collect(),
    }
}

impl Decoded {
    /// The block with its senders, ready to execute.
    pub(crate) fn with_senders(self, senders: Vec<Address>) -> Prepared {
        let transactions =
            self.transactions.into_iter().zip(senders).map(|(tx, from)| Recovered::new_unchecked(tx, from)).collect();
        Prepared {
            hash: self.hash,
            header: self.header,
            ommers: self.ommers,
            withdrawals: self.withdrawals,
            transactions,
        }
    }
}

/// Decode a block, check its body against its header and recover its
/// senders, each compared with the fixture's where it lists one.
pub(crate) fn prepare_block(rlp: &[u8], fixture_senders: &[Option<Address>]) -> Result<Prepared, String> {
    let decoded = decode(rlp)?;
    let senders = senders(&decoded.transactions, Recovery::Sequential)?;
    for (i, sender) in senders.iter().enumerate() {
        if let Some(Some(listed)) = fixture_senders.get(i) {
            expect_eq(&format!("transaction {i}'s recovered sender"), *sender, *listed)?;
        }
    }
    Ok(decoded.with_senders(senders))
}
