//! The state a pipeline block runs on: a copy of a tier's MDBX state with
//! the block's accounts written into it (senders, contracts, system
//! contracts, with their code in a `Bytecodes` table), cached beside the
//! tier in `pipeline-<tier>/`.
//!
//! A copy, because the commit stage writes to it: the tier itself stays the
//! one its manifest describes. Every write is one MDBX transaction, so the
//! copy is always either before or after a block; a copy whose stored root
//! is not the manifest's (a run cut off between a commit and its undo) is
//! rebuilt from the tier.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use alloy_primitives::{keccak256, Address, B256, U256};
use alloy_trie::KECCAK_EMPTY;
use signet_libmdbx::{DatabaseFlags, Environment, SyncMode};

use super::block::AllocAccount;
use super::write::{Batch, Hashed};
use crate::groups::scale::root::{self, AccountChange, Changes};
use crate::groups::scale::store::{self, db_error};
use crate::groups::scale::Tier;

/// Bumped when the copy's contents change for the same tier and accounts.
const FORMAT: u32 = 1;
const MANIFEST: &str = "manifest.json";

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
struct Manifest {
    format: u32,
    tier: String,
    /// The tier's own manifest checksum: a rebuilt tier means a new copy.
    tier_checksum: B256,
    /// keccak256 of the accounts written into the copy.
    alloc_digest: B256,
    pre_root: B256,
    built: String,
}

/// A tier's state with the block's accounts (or a blockchain test's state), open for reading and for the commit stage.
pub struct PipelineDb {
    pub tier: Tier,
    /// The root before the block: what the commit's undo brings back.
    pub pre_root: B256,
    env: Environment,
    /// A blockchain test's state, or a private copy of the tier's (see
    /// `store::PRIVATE_COPY_ENV`), lives in a temporary directory, removed after the environment closes.
    _temp: Option<tempfile::TempDir>,
}

impl PipelineDb {
    pub fn env(&self) -> &Environment {
        &self.env
    }

    /// The hash of the stored root node of the account trie.
    pub fn stored_root(&self) -> Result<Option<B256>, String> {
        stored_root(&self.env)
    }
}

fn stored_root(env: &Environment) -> Result<Option<B256>, String> {
    let txn = env.begin_ro_sync().map_err(|e| db_error("begin", e))?;
    let nodes = txn.open_db(Some(store::ACCOUNTS_TRIE)).map_err(|e| db_error("open table", e))?;
    let root: Option<Vec<u8>> = txn.get(nodes.dbi(), &[]).map_err(|e| db_error("read", e))?;
    Ok(match root {
        Some(node) => store::decode_node(&node)?.root_hash,
        None => None,
    })
}

/// A blockchain test's `alloc` as a fresh state in a temporary directory (the
/// smallest tier's map size; a test's state is small), and its root.
pub fn fresh(alloc: &BTreeMap<Address, AllocAccount>) -> Result<PipelineDb, String> {
    let temp = crate::groups::db::env::temp_dir().map_err(|e| e.to_string())?;
    let tier = crate::groups::scale::tier::SMALLEST;
    let env = store::open_env(temp.path(), SyncMode::Durable, tier)?;
    let pre_root = write_alloc(&env, alloc)?;
    Ok(PipelineDb { tier, pre_root, env, _temp: Some(temp) })
}

impl PipelineDb {
    /// Commit `batch` as the new state before the block.
    pub(crate) fn advance(&mut self, batch: &Batch, root: B256) -> Result<(), String> {
        batch.apply(&self.env)?;
        self.pre_root = root;
        Ok(())
    }
}

pub fn dir(tier: Tier) -> PathBuf {
    store::root_dir().join(format!("pipeline-{tier}"))
}

/// The hashed changes, slot writes and code that put `alloc` into a state that lacks it.
pub(crate) fn alloc_writes(alloc: &BTreeMap<Address, AllocAccount>) -> Hashed {
    let mut h = Hashed::default();
    for (address, a) in alloc {
        let code_hash = if a.code.is_empty() { KECCAK_EMPTY } else { keccak256(&a.code) };
        if !a.code.is_empty() {
            h.codes.push((code_hash, a.code.clone()));
        }
        let slots = a.storage.iter().map(|(slot, value)| (keccak256(slot.to_be_bytes::<32>()), U256::ZERO, *value));
        h.add(keccak256(address), AccountChange { nonce: a.nonce, balance: a.balance, code_hash }, slots);
    }
    h.codes.sort_unstable();
    h.codes.dedup();
    h
}

/// Write `alloc` (and a `Bytecodes` table for its code) into the state in `env`; the root after.
fn write_alloc(env: &Environment, alloc: &BTreeMap<Address, AllocAccount>) -> Result<B256, String> {
    let txn = env.begin_rw_sync().map_err(|e| db_error("begin", e))?;
    txn.create_db(Some(store::BYTECODES), DatabaseFlags::empty()).map_err(|e| db_error("create table", e))?;
    txn.commit().map_err(|e| db_error("commit", e))?;
    let hashed = alloc_writes(alloc);
    let txn = env.begin_ro_sync().map_err(|e| db_error("begin", e))?;
    let (root, updates) = root::incremental_with_updates(&txn, &hashed.changes)?;
    drop(txn);
    Batch::of(&updates, &hashed.slots, &hashed.codes).apply(env)?;
    Ok(root)
}

fn alloc_digest(alloc: &BTreeMap<Address, AllocAccount>) -> B256 {
    keccak256(serde_json::to_vec(alloc).expect("accounts serialise"))
}

/// The copy of `tier` with `alloc`, built if missing or stale. Its root
/// before any block must be `expected_pre_root` where the execution
/// specification computed one; otherwise, up to 10⁶ entries, the root from
/// scratch.
pub fn ensure(
    tier: Tier,
    tier_db: &crate::groups::scale::store::ScaleDb,
    alloc: &BTreeMap<Address, AllocAccount>,
    expected_pre_root: Option<B256>,
) -> Result<PipelineDb, String> {
    let dir = dir(tier);
    let want = (tier_db.manifest.checksum, alloc_digest(alloc));
    match reuse(&dir, want) {
        Ok(db) => return Ok(PipelineDb { tier, ..db }),
        Err(why) if dir.exists() => eprintln!("ethbench: rebuilding the pipeline's copy of tier {tier}: {why}"),
        Err(_) => {}
    }
    let partial = store::root_dir().join(format!("pipeline-{tier}.partial"));
    let built = build(tier, tier_db, alloc, want, expected_pre_root, &partial);
    if built.is_err() {
        let _ = std::fs::remove_dir_all(&partial);
    }
    built?;
    if dir.exists() {
        std::fs::remove_dir_all(&dir).map_err(|e| format!("removing the stale {}: {e}", dir.display()))?;
    }
    std::fs::rename(&partial, &dir).map_err(|e| format!("moving {} into place: {e}", partial.display()))?;
    let db = reuse(&dir, want)?;
    Ok(PipelineDb { tier, ..db })
}

/// A cached copy, if its manifest names this tier build and these accounts and its stored root is the manifest's.
fn reuse(dir: &Path, (tier_checksum, alloc_digest): (B256, B256)) -> Result<PipelineDb, String> {
    let text = std::fs::read(dir.join(MANIFEST)).map_err(|_| "it has no manifest".to_string())?;
    let m: Manifest = serde_json::from_slice(&text).map_err(|e| format!("its manifest is unreadable: {e}"))?;
    if m.format != FORMAT || m.tier_checksum != tier_checksum || m.alloc_digest != alloc_digest {
        return Err("it was built from another tier build, accounts or format".into());
    }
    let tier = Tier::parse(&m.tier)?;
    let opened = store::Opened::at(dir)?;
    let env = store::open_env(&opened.dir, SyncMode::Durable, tier)?;
    match stored_root(&env)? {
        Some(root) if root == m.pre_root => {}
        _ => return Err("its stored root is not the one before the block (a run was cut off mid-block)".into()),
    }
    Ok(PipelineDb { tier, pre_root: m.pre_root, env, _temp: opened.into_copy() })
}

fn build(
    tier: Tier,
    tier_db: &crate::groups::scale::store::ScaleDb,
    alloc: &BTreeMap<Address, AllocAccount>,
    (tier_checksum, alloc_digest): (B256, B256),
    expected_pre_root: Option<B256>,
    partial: &Path,
) -> Result<(), String> {
    if partial.exists() {
        std::fs::remove_dir_all(partial).map_err(|e| format!("removing the leftover {}: {e}", partial.display()))?;
    }
    std::fs::create_dir_all(partial).map_err(|e| format!("creating {}: {e}", partial.display()))?;
    tier_db.env().sync(true).map_err(|e| db_error("sync", e))?;
    crate::groups::scale::io::copy_sparse(&tier_db.data_file(), &partial.join(store::DATA_FILE))?;
    let env = store::open_env(partial, SyncMode::Durable, tier)?;
    let pre_root = write_alloc(&env, alloc)?;
    if let Some(expected) = expected_pre_root {
        if pre_root != expected {
            return Err(format!(
                "the state before the block has root {pre_root}, and the execution specification computes {expected}"
            ));
        }
    } else if tier <= crate::groups::scale::FROM_SCRATCH_UP_TO {
        let txn = env.begin_ro_sync().map_err(|e| db_error("begin", e))?;
        let scratch = root::from_scratch(&txn, &Changes::default())?;
        if scratch != pre_root {
            return Err(format!(
                "the state before the block has root {pre_root} updated incrementally, and {scratch} from scratch"
            ));
        }
    }
    if stored_root(&env)? != Some(pre_root) {
        return Err("the stored root node does not hash to the root just computed".into());
    }
    drop(env);
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    let m = Manifest {
        format: FORMAT,
        tier: tier.to_string(),
        tier_checksum,
        alloc_digest,
        pre_root,
        built: crate::measure::machine::civil_date(secs as i64),
    };
    std::fs::write(partial.join(MANIFEST), serde_json::to_vec_pretty(&m).expect("a manifest serialises"))
        .map_err(|e| format!("writing the manifest: {e}"))
}
