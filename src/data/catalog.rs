//! What each fixture file is: its name, its format, and the values the
//! manifest records for it. The generator writes these types and the
//! workloads read them, so the two cannot drift apart.

use std::collections::BTreeMap;

use alloy_consensus::{Block, EthereumTxEnvelope, TxEip4844};
use alloy_primitives::{Address, Bytes, B256, U256};
use serde::{Deserialize, Serialize};

/// A transaction as it appears in a block body (blob transactions without sidecars).
pub type BlockTx = EthereumTxEnvelope<TxEip4844>;
pub type EthBlock = Block<BlockTx>;

/// The five transaction envelope types.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Envelope {
    Legacy,
    Eip2930,
    Eip1559,
    Eip4844,
    Eip7702,
}

impl Envelope {
    pub const ALL: [Envelope; 5] =
        [Envelope::Legacy, Envelope::Eip2930, Envelope::Eip1559, Envelope::Eip4844, Envelope::Eip7702];

    pub fn name(self) -> &'static str {
        match self {
            Envelope::Legacy => "legacy",
            Envelope::Eip2930 => "eip2930",
            Envelope::Eip1559 => "eip1559",
            Envelope::Eip4844 => "eip4844",
            Envelope::Eip7702 => "eip7702",
        }
    }

    pub fn of(tx: &BlockTx) -> Self {
        match tx {
            EthereumTxEnvelope::Legacy(_) => Envelope::Legacy,
            EthereumTxEnvelope::Eip2930(_) => Envelope::Eip2930,
            EthereumTxEnvelope::Eip1559(_) => Envelope::Eip1559,
            EthereumTxEnvelope::Eip4844(_) => Envelope::Eip4844,
            EthereumTxEnvelope::Eip7702(_) => Envelope::Eip7702,
        }
    }
}

/// RLP of a whole block (`Block<TxEnvelope>`, blob transactions without sidecars).
pub const BLOCK: &str = "block_200tx/block.rlp";
/// RLP list of the block's receipts, each in network (EIP-2718-in-RLP) form.
pub const RECEIPTS: &str = "block_200tx/receipts.rlp";
/// JSON list of the address that signed each transaction of [`BLOCK`].
pub const SENDERS: &str = "block_200tx/senders.json";
/// JSON scalars, byte strings and a nested list for the primitive RLP workloads.
pub const RLP_VALUES: &str = "rlp/values.json";

/// Byte-string lengths in [`RlpValues::strings`]: short form, a hash, the
/// longest short-form string (55), the shortest long-form one (56), calldata-sized.
pub const STRING_LENGTHS: [usize; 5] = [1, 32, 55, 56, 1024];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RlpValues {
    pub u64: Vec<u64>,
    pub u256: Vec<U256>,
    /// Keyed by length in bytes (see [`STRING_LENGTHS`]).
    pub strings: BTreeMap<String, Vec<Bytes>>,
    /// An access list: a list of (address, list of storage keys).
    pub access_list: Vec<(Address, Vec<B256>)>,
}

/// Expected values of one encoded set in [`RLP_VALUES`]: the concatenated
/// RLP encodings of its items.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EncodedSet {
    pub items: usize,
    pub encoded_bytes: usize,
    pub encoded_keccak: B256,
}

/// A transaction picked to stand for its envelope type: the one of median
/// encoded length among that type's transactions in the block.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TxPick {
    pub index: usize,
    pub hash: B256,
    pub encoded_bytes: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BlockExpected {
    pub header_hash: B256,
    pub header_bytes: usize,
    pub number: u64,
    pub gas_used: u64,
    pub transactions: usize,
    /// keccak256 of all transaction hashes concatenated in block order.
    pub tx_hashes_keccak: B256,
    pub transactions_root: B256,
    pub withdrawals: usize,
    /// One representative transaction per envelope type, keyed `legacy`, `eip2930`, ….
    pub tx_by_type: BTreeMap<String, TxPick>,
}

impl BlockExpected {
    /// The manifest's representative transaction of envelope type `ty` (`eip1559`, …).
    pub(crate) fn pick(&self, ty: &str) -> Result<&TxPick, crate::measure::error::Error> {
        self.tx_by_type
            .get(ty)
            .ok_or_else(|| crate::measure::error::Error::fixture(BLOCK, format!("manifest names no {ty} transaction")))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReceiptsExpected {
    pub receipts: usize,
    pub logs: usize,
    pub cumulative_gas_used: u64,
    pub receipts_root: B256,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SendersExpected {
    pub senders: usize,
    pub distinct: usize,
}

/// 100k accounts, 44-byte records: address (20), nonce (u64 BE), balance (u128 BE).
pub const ACCOUNTS: &str = "state/accounts.bin";
/// Contract storage: per contract, a header of account index (u32 BE), code
/// hash (32) and slot count (u32 BE), then that many (key 32, value 32 BE) slots.
pub const STORAGE: &str = "state/storage.bin";

/// Storage of the contract the EVM storage workloads run in: 100k slots,
/// in the [`STORAGE`] record format (one record, account index unused).
pub const EVM_STORAGE: &str = "evm/storage_100k.bin";

/// What `scripts/solc.sh` compiled in fixtures/evm/contracts: the compiler,
/// its settings, and each contract's runtime bytecode file (`<Name>.bin`, hex).
pub const CONTRACTS: &str = "evm/contracts/build.json";
pub(crate) const CONTRACTS_DIR: &str = "evm/contracts";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ContractsBuild {
    pub compiler: String,
    pub settings: serde_json::Value,
    pub contracts: BTreeMap<String, CompiledContract>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CompiledContract {
    pub source: String,
    pub source_sha256: String,
    /// File name of the runtime bytecode, beside build.json.
    pub runtime: String,
    pub runtime_bytes: usize,
}

impl ContractsBuild {
    /// Fixture names of the runtime bytecode files.
    pub fn runtime_files(&self) -> impl Iterator<Item = (&str, String)> {
        self.contracts.iter().map(|(name, c)| (name.as_str(), format!("{CONTRACTS_DIR}/{}", c.runtime)))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Account {
    pub address: Address,
    pub nonce: u64,
    pub balance: u128,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContractStorage {
    /// Index of the contract's account in [`ACCOUNTS`].
    pub account: u32,
    pub code_hash: B256,
    pub slots: Vec<(B256, U256)>,
}

const ACCOUNT_RECORD: usize = 20 + 8 + 16;

pub fn encode_accounts(accounts: &[Account]) -> Vec<u8> {
    let mut out = Vec::with_capacity(accounts.len() * ACCOUNT_RECORD);
    for a in accounts {
        out.extend_from_slice(a.address.as_slice());
        out.extend_from_slice(&a.nonce.to_be_bytes());
        out.extend_from_slice(&a.balance.to_be_bytes());
    }
    out
}

pub(crate) fn decode_accounts(data: &[u8]) -> Result<Vec<Account>, String> {
    if !data.len().is_multiple_of(ACCOUNT_RECORD) {
        return Err(format!("{} bytes is not a whole number of {ACCOUNT_RECORD}-byte records", data.len()));
    }
    Ok(data
        .chunks_exact(ACCOUNT_RECORD)
        .map(|r| Account {
            address: Address::from_slice(&r[..20]),
            nonce: u64::from_be_bytes(r[20..28].try_into().expect("8 bytes")),
            balance: u128::from_be_bytes(r[28..44].try_into().expect("16 bytes")),
        })
        .collect())
}

pub fn encode_storage(contracts: &[ContractStorage]) -> Vec<u8> {
    let mut out = Vec::new();
    for c in contracts {
        out.extend_from_slice(&c.account.to_be_bytes());
        out.extend_from_slice(c.code_hash.as_slice());
        out.extend_from_slice(&(c.slots.len() as u32).to_be_bytes());
        for (key, value) in &c.slots {
            out.extend_from_slice(key.as_slice());
            out.extend_from_slice(&value.to_be_bytes::<32>());
        }
    }
    out
}

pub(crate) fn decode_storage(mut data: &[u8]) -> Result<Vec<ContractStorage>, String> {
    fn take<'a>(data: &mut &'a [u8], n: usize) -> Result<&'a [u8], String> {
        if data.len() < n {
            return Err("ends in the middle of a record".into());
        }
        let (head, rest) = data.split_at(n);
        *data = rest;
        Ok(head)
    }
    let mut contracts = Vec::new();
    while !data.is_empty() {
        let account = u32::from_be_bytes(take(&mut data, 4)?.try_into().expect("4 bytes"));
        let code_hash = B256::from_slice(take(&mut data, 32)?);
        let count = u32::from_be_bytes(take(&mut data, 4)?.try_into().expect("4 bytes")) as usize;
        let slots = (0..count)
            .map(|_| {
                let key = B256::from_slice(take(&mut data, 32)?);
                let value = U256::from_be_slice(take(&mut data, 32)?);
                Ok((key, value))
            })
            .collect::<Result<_, String>>()?;
        contracts.push(ContractStorage { account, code_hash, slots });
    }
    Ok(contracts)
}

/// Expected roots of the state fixtures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StateExpected {
    /// State root of the first N accounts (with their contracts' storage), keyed by N.
    pub state_roots: BTreeMap<String, B256>,
    /// keccak256 of the concatenated keccak256 of the first 10k addresses.
    pub hashed_addresses_keccak: B256,
}

impl StateExpected {
    /// The manifest's state root of the first `accounts` accounts.
    pub fn root(&self, accounts: usize) -> Result<B256, crate::measure::error::Error> {
        self.state_roots.get(&accounts.to_string()).copied().ok_or_else(|| {
            crate::measure::error::Error::fixture(
                ACCOUNTS,
                format!("manifest has no state root for {accounts} accounts"),
            )
        })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StorageExpected {
    /// Storage root per contract, in file order.
    pub storage_roots: Vec<B256>,
    pub slots: usize,
    /// keccak256 of the concatenated keccak256 of the first 10k slot keys.
    pub hashed_slots_keccak: B256,
}

/// Real mainnet blocks, each the first of its fork: Shanghai, Cancun, Prague.
/// Copied from `ethereum/portal-spec-tests` (see `fixtures/mainnet/README.md`).
pub const MAINNET_BLOCKS: [u64; 3] = [17_034_870, 19_426_587, 22_431_084];

/// The block as it travels on the wire: `rlp([header, transactions, ommers, withdrawals])`.
pub fn mainnet_block(number: u64) -> String {
    format!("mainnet/{number}.block.rlp")
}

/// The block's receipts as one RLP list, eth/68 form (with blooms).
pub fn mainnet_receipts(number: u64) -> String {
    format!("mainnet/{number}.receipts.rlp")
}

/// The values the block's header publishes, as the source lists them.
pub fn mainnet_header(number: u64) -> String {
    format!("mainnet/{number}.header.json")
}

/// What a mainnet block and its receipts must reproduce: the fields of
/// [`mainnet_header`] the suite reads, copied into the manifest as the block's
/// expected values, never computed by the suite.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PublishedHeader {
    pub number: u64,
    pub hash: B256,
    pub tx_count: usize,
    /// Envelope type (`"0"`, `"2"`, …) → transactions of that type.
    pub tx_type_counts: BTreeMap<String, usize>,
    pub withdrawal_count: usize,
    pub transactions_root: B256,
    pub receipts_root: B256,
    pub withdrawals_root: Option<B256>,
    pub gas_used: u64,
    pub log_count: usize,
}

/// The precompile group's vectors: published ones copied from the EIPs and
/// go-ethereum's test files, and ones derived from them by
/// `scripts/precompile-vectors.py` (see `fixtures/precompile/README.md`).
pub const PRECOMPILE_VECTORS: &str = "precompile/vectors.json";

/// The state roots of the state at scale's tiers 10^4 to 10^6, computed by
/// the execution specification (scripts/scale-reference.sh).
pub const SCALE_REFERENCES: [&str; 3] = ["scale/1e4.json", "scale/1e5.json", "scale/1e6.json"];

/// One tier's roots as the execution specification computed them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScaleReference {
    pub tier: String,
    pub seed: u64,
    pub accounts: u64,
    pub contracts: u64,
    pub slots: u64,
    pub root: B256,
    pub root_after_changeset: B256,
    pub computed_by: String,
}

/// The block pipeline's generated blocks, filled by the execution
/// specification on the 10^4 tier (scripts/pipeline-reference.sh).
pub const PIPELINE_REFERENCES: [&str; 3] =
    ["pipeline/mixed_3m.json", "pipeline/mixed_30m.json", "pipeline/mixed_60m.json"];

/// What the execution specification computed for one generated block on the 10^4 tier.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PipelineReference {
    pub block: String,
    pub tier: String,
    /// keccak256 of the generator's spec the values were filled from.
    pub spec_digest: B256,
    pub transactions: u64,
    /// The root of the tier's state with the block's accounts, before the block.
    pub pre_state_root: B256,
    pub transactions_root: B256,
    pub gas_used: u64,
    pub receipts_root: B256,
    pub logs_bloom: alloy_primitives::Bloom,
    pub requests_hash: B256,
    pub withdrawals_root: B256,
    pub state_root: B256,
    pub computed_by: String,
}

/// One call of a precompile and what the EIP says it returns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrecompileVector {
    /// `<precompile>/<input>`, the workload id after `precompile/`.
    pub id: String,
    pub address: u64,
    pub input: Bytes,
    /// The output of a successful call (empty where the EIP answers a bad
    /// input with empty output); absent when the EIP fails the call.
    #[serde(default)]
    pub output: Option<Bytes>,
    /// The EIP fails the call (all gas it was given is consumed).
    #[serde(default)]
    pub fails: bool,
    /// Where the input and output come from.
    pub source: String,
}

/// Real filled state tests (ethereum/tests and execution-spec-tests),
/// unmodified copies, and the project's own and its worst cases, filled by
/// the execution specification (`scripts/own-fixtures.sh`,
/// `scripts/worstcase-fixtures.sh`): inputs of `ethbench run
/// statetest` in the tests, each with the post-state roots its filler
/// computed. Sources and licences: `fixtures/statetests/README.md`.
pub const STATE_TESTS: [&str; 12] = [
    "statetests/CallEcrecover0.json",
    "statetests/NonZeroValue_TransactionCALL_ToNonNonZeroBalance.json",
    "statetests/create2InitCodes.json",
    "statetests/delegatecallBasic.json",
    "statetests/eest_eip7702__test_eoa_init_as_pointer.json",
    "statetests/ethbench_own.json",
    "statetests/invalidTr.json",
    "statetests/log4.json",
    "statetests/sstore_0toXtoY.json",
    "statetests/tload_after_tstore.json",
    "statetests/transStorageOK.json",
    "worstcase/state_tests.json",
];

/// Real filled blockchain tests (ethereum/tests and execution-spec-tests,
/// one from its benchmark release), unmodified copies, and the project's
/// own and its worst cases, filled by the execution specification: inputs of `ethbench run
/// blocktest` in the tests, each with the roots and hashes its filler
/// computed. Sources and licences: `fixtures/blocktests/README.md`.
pub const BLOCK_TESTS: [&str; 7] = [
    "benchmark/benchmark_v0.0.7__keccak_max_permutations__Osaka_1M.json",
    "benchmark/benchmark_v0.0.7__sha256__Osaka_1M.json",
    "blocktests/benchmark_v0.0.7__empty_block__Osaka_1M.json",
    "blocktests/eest_eip7002_el_triggerable_withdrawals__test_eip_7002.json",
    "blocktests/ethbench_own_chain.json",
    "blocktests/tloadDoesNotPersistAcrossBlocks.json",
    "worstcase/blockchain_tests.json",
];

/// The project's own blockchain test with one `postState` balance changed,
/// which `ethbench run blocktest` must refuse.
pub const CORRUPTED_BLOCK_TEST: &str = "corrupted/ethbench_own_chain_wrong_post_root.json";
