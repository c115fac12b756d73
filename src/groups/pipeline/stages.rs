//! A block's import, stage by stage, each stage a function of the one
//! before: decode (and check the body against the header), recover the
//! senders, execute on the MDBX state, hash the changed state and update
//! the state root on the stored nodes, write and commit. [`import`] runs
//! them in a row as a client does, and refuses a block at the first stage
//! that finds it wrong, before anything is written.

use alloy_consensus::transaction::Recovered;
use alloy_consensus::{proofs, BlockBody, Header, TxEnvelope, EMPTY_OMMER_ROOT_HASH};
use alloy_eips::eip4895::Withdrawals;
use alloy_primitives::{keccak256, Address, Bytes, B256, U256};
use alloy_trie::EMPTY_ROOT_HASH;
use revm::database::states::bundle_state::BundleRetention;
use revm::database::{BundleState, State, WrapDatabaseRef};

use super::block::Generated;
use super::state::PipelineDb;
use super::write::{Batch, Hashed};
use crate::data::PipelineReference;
use crate::groups::chain::{self, check_executed, Chain, Executed, Prepared, Recovery};
use crate::groups::scale::evm::MdbxState;
use crate::groups::scale::root::{self, AccountChange, Changes, TrieUpdates};
use crate::groups::scale::store::db_error;
use crate::measure::workload::expect_eq;

/// The stages, in the order a block goes through them, and the whole import.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Decode,
    Senders,
    SendersRayon,
    Execute,
    StateRoot,
    Commit,
    Import,
}

impl Stage {
    pub const ALL: [Stage; 7] = [
        Stage::Decode,
        Stage::Senders,
        Stage::SendersRayon,
        Stage::Execute,
        Stage::StateRoot,
        Stage::Commit,
        Stage::Import,
    ];

    /// The stages a client's import runs (sender recovery once, with rayon, as clients recover).
    pub(crate) const OF_IMPORT: [Stage; 5] =
        [Stage::Decode, Stage::SendersRayon, Stage::Execute, Stage::StateRoot, Stage::Commit];

    pub fn name(self) -> &'static str {
        match self {
            Stage::Decode => "decode",
            Stage::Senders => "senders",
            Stage::SendersRayon => "senders_rayon",
            Stage::Execute => "execute",
            Stage::StateRoot => "state_root",
            Stage::Commit => "commit",
            Stage::Import => "import",
        }
    }

    pub fn about(self) -> &'static str {
        match self {
            Stage::Decode => "RLP decode of the block, and its body checked against its header (transactions root, ommers, withdrawals root)",
            Stage::Senders => "every transaction's sender recovered from its signature, one after another",
            Stage::SendersRayon => "every transaction's sender recovered from its signature, spread over rayon's threads",
            Stage::Execute => "execution with alloy-evm's Ethereum block executor on revm, reading the MDBX state (system calls, receipts, the bundle of changes)",
            Stage::StateRoot => "the changed accounts and slots hashed, and the state root updated on the stored branch nodes",
            Stage::Commit => "the changed rows, the rebuilt branch nodes and new code written to MDBX in one transaction, committed durably (fsync)",
            Stage::Import => "the whole import: decode, senders (rayon), execution, state root checked against the header, write and durable commit",
        }
    }
}

/// A block ready for its stages: each stage's input made once, untimed, by the stages before it.
pub struct Block {
    pub name: String,
    pub db: PipelineDb,
    pub chain: Chain,
    pub rlp: Vec<u8>,
    pub hash: B256,
    pub transactions: Vec<TxEnvelope>,
    /// The signers' addresses, from the generator's keys.
    pub senders: Vec<Address>,
    pub prepared: Prepared,
    pub bundle: BundleState,
    pub hashed: Hashed,
    pub updates: TrieUpdates,
    pub(crate) undo: Batch,
    pub gas_used: u64,
    /// What the block holds, in words.
    pub about: String,
    /// Number and hash of the blocks before it that BLOCKHASH may read.
    pub ancestors: Vec<(u64, B256)>,
}

/// Execute `block` on the state, in one read transaction, and gather its
/// changes as revm's bundle; `ancestors` are the hashes BLOCKHASH may ask for.
pub fn execute(
    db: &PipelineDb,
    chain: &Chain,
    block: &Prepared,
    ancestors: &[(u64, B256)],
) -> Result<(Executed, BundleState), String> {
    let mut state =
        State::builder().with_database(WrapDatabaseRef(MdbxState::begin(db.env())?)).with_bundle_update().build();
    for &(number, hash) in ancestors {
        state.block_hashes.insert(number, hash);
    }
    let executed = chain::execute(&mut state, chain, block)?;
    state.merge_transitions(BundleRetention::Reverts);
    Ok((executed, state.take_bundle()))
}

/// The bundle's accounts and slots by hashed key, with trie leaf values:
/// deleted accounts, destroyed contracts' storage and cleared slots included.
pub(crate) fn hash_state(bundle: &BundleState) -> Result<Hashed, String> {
    let mut h = Hashed::default();
    for (address, account) in &bundle.state {
        let owner = keccak256(address);
        let Some(info) = &account.info else {
            // Created and removed within the block: nothing to write.
            if account.original_info.is_some() {
                h.changes.deleted.insert(owner);
            }
            continue;
        };
        let wiped = account.status.was_destroyed();
        if wiped {
            h.changes.wiped.insert(owner);
        }
        let slots = account.storage.iter().filter(|(_, v)| wiped || v.is_changed()).filter_map(|(slot, v)| {
            let old = if wiped { U256::ZERO } else { v.original_value() };
            (old != v.present_value).then(|| (keccak256(slot.to_be_bytes::<32>()), old, v.present_value))
        });
        let change = AccountChange { nonce: info.nonce, balance: info.balance, code_hash: info.code_hash };
        h.add(owner, change, slots.collect::<Vec<_>>());
    }
    h.slots.sort_unstable_by_key(|s| (s.owner, s.slot));
    h.codes = bundle.contracts.iter().map(|(hash, code)| (*hash, code.original_bytes())).collect();
    h.codes.sort_unstable();
    Ok(h)
}

/// The state root after `hashed`, on the stored nodes, with the nodes it rebuilt.
pub fn state_root(db: &PipelineDb, hashed: &Hashed) -> Result<(B256, TrieUpdates), String> {
    let txn = db.env().begin_ro_sync().map_err(|e| db_error("begin", e))?;
    root::incremental_with_updates(&txn, &hashed.changes)
}

/// Write the block's changes and commit them durably.
pub fn commit(db: &PipelineDb, hashed: &Hashed, updates: &TrieUpdates) -> Result<(), String> {
    Batch::of(updates, &hashed.slots, &hashed.codes).apply(db.env())
}

/// What [`import`] did with a block it accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Imported {
    pub gas_used: u64,
    pub state_root: B256,
}

/// A block refused, with the stage that refused it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    pub stage: Stage,
    pub problem: String,
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the block was refused at stage {}: {}; nothing was written", self.stage.name(), self.problem)
    }
}

/// Import a block as a client does: every stage in a row, each result
/// checked against the header before the next, and nothing written unless all agree.
pub fn import(db: &PipelineDb, chain: &Chain, ancestors: &[(u64, B256)], rlp: &[u8]) -> Result<Imported, Refused> {
    let at = |stage: Stage| move |problem: String| Refused { stage, problem };
    let decoded = chain::decode(rlp).map_err(at(Stage::Decode))?;
    let senders = chain::senders(&decoded.transactions, Recovery::Rayon).map_err(at(Stage::SendersRayon))?;
    let block = decoded.with_senders(senders);
    let (executed, bundle) = execute(db, chain, &block, ancestors).map_err(at(Stage::Execute))?;
    check_executed(&block, &executed).map_err(at(Stage::Execute))?;
    let hashed = hash_state(&bundle).map_err(at(Stage::StateRoot))?;
    let (root, updates) = state_root(db, &hashed).map_err(at(Stage::StateRoot))?;
    expect_eq("the state root", root, block.header.state_root).map_err(at(Stage::StateRoot))?;
    commit(db, &hashed, &updates).map_err(at(Stage::Commit))?;
    Ok(Imported { gas_used: executed.gas_used, state_root: root })
}

/// Put the state back as it was before the block, if a commit changed it.
pub fn undo(b: &Block) -> Result<(), String> {
    if b.db.stored_root()? != Some(b.db.pre_root) {
        b.undo.apply(b.db.env())?;
    }
    Ok(())
}

/// The header: the block's environment, its transactions' root, and what the
/// execution specification filled (gas used, receipts root, bloom, requests hash).
fn header(g: &Generated, reference: &PipelineReference, state_root: B256) -> Header {
    let env = &g.spec.env;
    Header {
        parent_hash: env.parent_hash,
        ommers_hash: EMPTY_OMMER_ROOT_HASH,
        beneficiary: env.coinbase,
        state_root,
        transactions_root: proofs::calculate_transaction_root(&g.transactions),
        receipts_root: reference.receipts_root,
        logs_bloom: reference.logs_bloom,
        difficulty: U256::ZERO,
        number: env.number,
        gas_limit: env.gas_limit,
        gas_used: reference.gas_used,
        timestamp: env.timestamp,
        extra_data: Bytes::new(),
        mix_hash: env.prev_randao,
        nonce: Default::default(),
        base_fee_per_gas: Some(env.base_fee),
        withdrawals_root: Some(EMPTY_ROOT_HASH),
        blob_gas_used: Some(0),
        excess_blob_gas: Some(0),
        parent_beacon_block_root: Some(env.parent_beacon_block_root),
        requests_hash: Some(reference.requests_hash),
        block_access_list_hash: None,
        slot_number: None,
    }
}

/// The RLP of `block` under `header`.
pub fn encode(header: &Header, block: &Prepared) -> Vec<u8> {
    let body = BlockBody {
        transactions: block.transactions.iter().map(|r| r.inner().clone()).collect::<Vec<TxEnvelope>>(),
        ommers: block.ommers.clone(),
        withdrawals: block.withdrawals.clone().map(Withdrawals::new),
    };
    alloy_rlp::encode(alloy_consensus::Block { header: header.clone(), body })
}

/// A generated block made ready on its state: its header filled from the
/// execution specification's values (the state root too where they were
/// computed on this tier, otherwise the incremental root once it agrees with
/// the committed state's root from scratch).
pub(crate) fn prepare_generated(
    g: Generated,
    reference: &PipelineReference,
    db: PipelineDb,
    exact: bool,
) -> Result<Block, String> {
    if exact {
        expect_eq(
            "the transactions root (against the execution specification's)",
            proofs::calculate_transaction_root(&g.transactions),
            reference.transactions_root,
        )?;
        expect_eq(
            "the withdrawals root (against the execution specification's)",
            EMPTY_ROOT_HASH,
            reference.withdrawals_root,
        )?;
    }
    let chain = Chain::new(revm_statetest_types::blockchain::ForkSpec::Prague, 1)
        .expect("Prague is a network the runner knows");
    let header = header(&g, reference, reference.state_root);
    let transactions =
        g.transactions.iter().zip(&g.senders).map(|(tx, from)| Recovered::new_unchecked(tx.clone(), *from)).collect();
    let block = Prepared { hash: B256::ZERO, header, ommers: Vec::new(), withdrawals: Some(Vec::new()), transactions };
    let about = g.mix.describe();
    let parent = vec![(g.spec.env.number - 1, g.spec.env.parent_hash)];
    prepare(&g.spec.block, db, chain, block, parent, exact, about)
}

/// A block made ready on its state: executed once (untimed) and refused
/// unless it reproduces its header's receipts root, gas, bloom and requests
/// hash; its writes committed, the stored root node and (up to 10⁷ entries)
/// the committed state's root from scratch held to the incremental root
/// (and to the header's, when `state_root_known`), and the state put back.
/// Each stage's input is made here, so that every stage times only itself.
pub fn prepare(
    name: &str,
    db: PipelineDb,
    chain: Chain,
    mut prepared: Prepared,
    ancestors: Vec<(u64, B256)>,
    state_root_known: bool,
    about: String,
) -> Result<Block, String> {
    let (executed, bundle) = execute(&db, &chain, &prepared, &ancestors)?;
    check_executed(&prepared, &executed).map_err(|e| format!("execution does not reproduce the header: {e}"))?;
    let hashed = hash_state(&bundle)?;
    let (root, updates) = state_root(&db, &hashed)?;
    if state_root_known {
        expect_eq("the state root after the block (against the header's)", root, prepared.header.state_root)?;
    }
    let batch = Batch::of(&updates, &hashed.slots, &hashed.codes);
    let undo = batch.inverse(db.env())?;
    batch.apply(db.env())?;
    let committed = (|| {
        expect_eq("the stored root node after the commit", db.stored_root()?, Some(root))?;
        if db.tier <= super::FROM_SCRATCH_UP_TO {
            let txn = db.env().begin_ro_sync().map_err(|e| db_error("begin", e))?;
            let scratch = root::from_scratch(&txn, &Changes::default())?;
            expect_eq("the incremental state root (against the committed state's root from scratch)", root, scratch)?;
        }
        Ok::<(), String>(())
    })();
    undo.apply(db.env())?;
    committed?;
    expect_eq("the stored root node after undoing the block", db.stored_root()?, Some(db.pre_root))?;

    prepared.header.state_root = root;
    prepared.hash = prepared.header.hash_slow();
    let (transactions, senders): (Vec<TxEnvelope>, Vec<Address>) =
        prepared.transactions.iter().map(|r| (r.inner().clone(), r.signer())).unzip();
    let rlp = encode(&prepared.header, &prepared);
    Ok(Block {
        name: name.to_owned(),
        chain,
        rlp,
        hash: prepared.hash,
        transactions,
        senders,
        prepared,
        bundle,
        hashed,
        updates,
        undo,
        gas_used: executed.gas_used,
        about,
        ancestors,
        db,
    })
}
