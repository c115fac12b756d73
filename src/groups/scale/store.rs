//! A tier's state on disk: an MDBX environment with reth's tables, its
//! manifest, and the checks that decide whether a cached state can be
//! trusted.
//!
//! Tables (as reth names them):
//! - `HashedAccounts`: keccak(address) → the account's trie leaf (RLP of
//!   nonce, balance, storage root, code hash). reth stores the account
//!   without its storage root; storing the leaf keeps the root walk to one
//!   read per account.
//! - `HashedStorages` (DUPSORT): keccak(address) → keccak(slot) ‖ value (big-endian, no leading zeros).
//! - `AccountsTrie`: nibble path (one byte per nibble) → branch node.
//! - `StoragesTrie`: keccak(address) ‖ nibble path → branch node. reth
//!   makes this table DUPSORT on a padded path; a plain composite key
//!   orders the same way.
//!
//! Branch nodes are `BranchNodeCompact` as alloy-trie's `HashBuilder`
//! stores them: state, tree and hash masks (2 bytes each, big-endian), a
//! flag byte and the root hash when set, then the child hashes.

use std::cell::RefCell;
use std::path::{Path, PathBuf};

use alloy_primitives::{B256, U256};
use alloy_trie::{BranchNodeCompact, TrieMask};
use signet_libmdbx::{DatabaseFlags, Environment, EnvironmentFlags, Geometry, Mode, SyncMode};

use super::io;
use super::tier::Tier;

/// A read transaction, as every reader of the state holds one.
pub(crate) type RoTxSync = signet_libmdbx::TxSync<signet_libmdbx::RoSync>;

pub const ACCOUNTS: &str = "HashedAccounts";
pub const STORAGE: &str = "HashedStorages";
pub const ACCOUNTS_TRIE: &str = "AccountsTrie";
pub const STORAGES_TRIE: &str = "StoragesTrie";
/// Code hash → code: only the block pipeline's state has it (a tier's contracts hold no code to run).
pub(crate) const BYTECODES: &str = "Bytecodes";
pub(crate) const TABLES: [(&str, DatabaseFlags); 4] = [
    (ACCOUNTS, DatabaseFlags::empty()),
    (STORAGE, DatabaseFlags::DUP_SORT),
    (ACCOUNTS_TRIE, DatabaseFlags::empty()),
    (STORAGES_TRIE, DatabaseFlags::empty()),
];

/// Bumped whenever the generator, the layout or the encoding changes: a cached state of another format is rebuilt.
pub(crate) const FORMAT: u32 = 1;

pub(crate) const DATA_FILE: &str = "mdbx.dat";
pub const MANIFEST: &str = "manifest.json";
/// Present while a workload has uncommitted-to-the-manifest writes in the
/// state (the batch commits, which put the old values back afterwards): a
/// state left with it was interrupted mid-write and is rebuilt.
const DIRTY: &str = "writing-";

/// Where the tiers live instead of `target/ethbench-scale/`: the paired
/// A/B gives each side its own, so one side's batch commits and evictions
/// never touch the state the other side is reading.
pub const DIR_ENV: &str = "ETHBENCH_SCALE_DIR";

/// Where every tier lives: `$ETHBENCH_SCALE_DIR`, else `target/ethbench-scale/`.
pub fn root_dir() -> PathBuf {
    std::env::var_os(DIR_ENV).map_or_else(|| crate::measure::output::target_dir().join("ethbench-scale"), PathBuf::from)
}

/// Set (to anything) by the paired A/B for its workers: each process then
/// reads and writes a private copy of every state at scale, made as it
/// opens the state and removed when it closes it. A batch commit that is
/// undone restores a state's contents but not where MDBX put its pages, so
/// a state kept across runs drifts, and one side's copy drifted into
/// durable commits 1.5 times as fast as the other's, for whole runs.
pub const PRIVATE_COPY_ENV: &str = "ETHBENCH_SCALE_PRIVATE_COPY";

/// Where a process opens a built state: the state itself or, under
/// [`PRIVATE_COPY_ENV`], a fresh copy of its data file beside it, removed
/// when this is dropped.
pub(crate) struct Opened {
    pub dir: PathBuf,
    copy: Option<tempfile::TempDir>,
}

impl Opened {
    pub(crate) fn at(built: &Path) -> Result<Self, String> {
        if std::env::var_os(PRIVATE_COPY_ENV).is_none() {
            return Ok(Self { dir: built.to_owned(), copy: None });
        }
        let parent = built.parent().unwrap_or(built);
        let copy = tempfile::Builder::new()
            .prefix("private-")
            .tempdir_in(parent)
            .map_err(|e| format!("creating a private copy in {}: {e}", parent.display()))?;
        io::copy_sparse(&built.join(DATA_FILE), &copy.path().join(DATA_FILE))?;
        Ok(Self { dir: copy.path().to_owned(), copy: Some(copy) })
    }

    /// The temporary directory to drop after the environment, if this is a private copy.
    pub(crate) fn into_copy(self) -> Option<tempfile::TempDir> {
        self.copy
    }
}

pub fn tier_dir(tier: Tier) -> PathBuf {
    root_dir().join(tier.to_string())
}

/// Where a tier is built before it is complete.
pub(crate) fn partial_dir(tier: Tier) -> PathBuf {
    root_dir().join(format!("{tier}.partial"))
}

/// What a built tier holds, written last, so a state without one was never finished.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Manifest {
    pub format: u32,
    pub seed: u64,
    pub tier: String,
    pub accounts: u64,
    pub contracts: u64,
    pub slots: u64,
    /// The state root, computed from the generated entries as they were written.
    pub root: B256,
    /// The state root after the tier's changeset, computed the same way.
    pub root_after_changeset: B256,
    /// Rows per table, as MDBX counted them after the build.
    pub rows: Vec<(String, u64)>,
    pub data_bytes: u64,
    /// Milliseconds (an integer: a float may not survive the JSON round trip bit for bit, and the checksum covers it).
    pub build_ms: u64,
    pub built: String,
    /// keccak256 of this manifest's other fields: a manifest edited by hand or cut short does not pass.
    pub checksum: B256,
}

impl Manifest {
    pub fn digest(&self) -> B256 {
        let mut unsigned = self.clone();
        unsigned.checksum = B256::ZERO;
        alloy_primitives::keccak256(serde_json::to_vec(&unsigned).expect("a manifest serialises"))
    }
}

pub(crate) fn db_error(what: &str, e: impl std::fmt::Display) -> String {
    format!("MDBX {what}: {e}")
}

/// Open (or create) an environment with the four tables (and room for [`BYTECODES`]). Without MDBX's
/// readahead, as reth opens its database: with it, opening a small state
/// reads all of it back into the page cache, and no read would be cold.
///
/// The map may grow to four times what the tier needs (at least 1 GiB):
/// room for the block pipeline's writes, and small enough for valgrind,
/// which refuses to reserve the 64 GiB a fixed ceiling would.
pub(crate) fn open_env(dir: &Path, sync: SyncMode, tier: Tier) -> Result<Environment, String> {
    let ceiling = (4 * tier.disk_bytes()).clamp(1 << 30, 64 << 30) as usize;
    let env = Environment::builder()
        .set_max_dbs(TABLES.len() + 1)
        .set_flags(EnvironmentFlags {
            mode: Mode::ReadWrite { sync_mode: sync },
            no_rdahead: true,
            ..Default::default()
        })
        .set_geometry(Geometry { size: Some(0..ceiling), growth_step: Some(64 << 20), ..Default::default() })
        .open(dir)
        .map_err(|e| db_error("open", e))?;
    let txn = env.begin_rw_sync().map_err(|e| db_error("begin", e))?;
    for (name, flags) in TABLES {
        txn.create_db(Some(name), flags).map_err(|e| db_error("create table", e))?;
    }
    txn.commit().map_err(|e| db_error("commit", e))?;
    Ok(env)
}

/// A built tier, open for reading and for the batch-commit workloads.
pub struct ScaleDb {
    pub tier: Tier,
    pub manifest: Manifest,
    dir: PathBuf,
    env: RefCell<Option<Environment>>,
    /// Whether the data file was read into the page cache since the last eviction.
    warm: std::cell::Cell<bool>,
    /// A private copy's directory, removed after the environment closes (fields drop in order).
    _copy: Option<tempfile::TempDir>,
}

impl ScaleDb {
    /// Open a tier that has been built and checked (`build::ensure`).
    pub(super) fn open(tier: Tier, manifest: Manifest) -> Result<Self, String> {
        let opened = Opened::at(&tier_dir(tier))?;
        let dir = opened.dir.clone();
        let env = open_env(&dir, SyncMode::Durable, tier)?;
        Ok(Self {
            tier,
            manifest,
            dir,
            env: RefCell::new(Some(env)),
            warm: std::cell::Cell::new(false),
            _copy: opened.into_copy(),
        })
    }

    /// The environment (a cheap handle; hold it only for one operation, so `ScaleDb::evict` can close it).
    pub fn env(&self) -> Environment {
        self.env.borrow().as_ref().expect("the environment is open between evictions").clone()
    }

    /// A read transaction and one of its tables.
    pub fn read(&self, table: &str) -> Result<(RoTxSync, signet_libmdbx::Database), String> {
        let txn = self.env().begin_ro_sync().map_err(|e| db_error("begin", e))?;
        let db = txn.open_db(Some(table)).map_err(|e| db_error("open table", e))?;
        Ok((txn, db))
    }

    /// MDBX's B-tree depth of the hashed-accounts and hashed-storage tables.
    pub fn depths(&self) -> Result<[u32; 2], String> {
        let txn = self.env().begin_ro_sync().map_err(|e| db_error("begin", e))?;
        let mut depth = [0; 2];
        for (d, table) in depth.iter_mut().zip([ACCOUNTS, STORAGE]) {
            let db = txn.open_db(Some(table)).map_err(|e| db_error("open table", e))?;
            *d = txn.db_stat(&db).map_err(|e| db_error("stat", e))?.depth();
        }
        Ok(depth)
    }

    pub(crate) fn data_file(&self) -> PathBuf {
        self.dir.join(DATA_FILE)
    }

    /// Make the next reads cold: close the environment (unmapping its
    /// pages), drop the data file's pages from the page cache, and reopen.
    pub(crate) fn evict(&self) -> Result<(), String> {
        let env = self.env.borrow_mut().take().expect("the environment is open");
        self.warm.set(false);
        env.sync(true).map_err(|e| db_error("sync", e))?;
        drop(env);
        let evicted = io::evict(&self.data_file());
        *self.env.borrow_mut() = Some(open_env(&self.dir, SyncMode::Durable, self.tier)?);
        evicted
    }

    /// Mark the state as being written by the workload `who`; [`ScaleDb::written`] clears the mark.
    pub fn writing(&self, who: &str) -> Result<(), String> {
        let mark = self.dir.join(format!("{DIRTY}{who}"));
        std::fs::write(&mark, b"").map_err(|e| format!("writing {}: {e}", mark.display()))
    }

    pub fn written(&self, who: &str) -> Result<(), String> {
        let mark = self.dir.join(format!("{DIRTY}{who}"));
        std::fs::remove_file(&mark).map_err(|e| format!("removing {}: {e}", mark.display()))
    }

    /// Read the data file once, so the page cache holds the tier (as far as memory allows);
    /// again only after an eviction.
    pub fn warm(&self) -> Result<(), String> {
        if self.warm.get() {
            return Ok(());
        }
        use std::io::Read;
        let mut f = std::fs::File::open(self.data_file())
            .map_err(|e| format!("reading {}: {e}", self.data_file().display()))?;
        let mut buf = vec![0u8; 1 << 20];
        while f.read(&mut buf).map_err(|e| format!("reading {}: {e}", self.data_file().display()))? > 0 {}
        self.warm.set(true);
        Ok(())
    }
}

/// Whether a tier directory was left mid-write.
pub fn left_dirty(dir: &Path) -> bool {
    std::fs::read_dir(dir)
        .map(|d| d.flatten().any(|e| e.file_name().to_string_lossy().starts_with(DIRTY)))
        .unwrap_or(false)
}

/// A hashed-storage row's value: the slot's hash, then its value big-endian without leading zeros.
pub(crate) fn storage_row(hashed: B256, value: U256) -> Vec<u8> {
    let mut row = hashed.to_vec();
    let bytes = value.to_be_bytes::<32>();
    let skip = bytes.iter().take_while(|b| **b == 0).count();
    row.extend_from_slice(&bytes[skip..]);
    row
}

/// A branch node as the trie tables store it.
pub(crate) fn encode_node(node: &BranchNodeCompact) -> Vec<u8> {
    let mut out = Vec::with_capacity(7 + 32 * (node.hashes.len() + 1));
    for mask in [node.state_mask, node.tree_mask, node.hash_mask] {
        out.extend_from_slice(&mask.get().to_be_bytes());
    }
    match node.root_hash {
        Some(root) => {
            out.push(1);
            out.extend_from_slice(root.as_slice());
        }
        None => out.push(0),
    }
    for h in node.hashes.iter() {
        out.extend_from_slice(h.as_slice());
    }
    out
}

pub(crate) fn decode_node(bytes: &[u8]) -> Result<BranchNodeCompact, String> {
    let bad = || format!("a stored trie node of {} bytes is malformed", bytes.len());
    if bytes.len() < 7 {
        return Err(bad());
    }
    let mask = |i: usize| TrieMask::new(u16::from_be_bytes([bytes[2 * i], bytes[2 * i + 1]]));
    let (state, tree, hash) = (mask(0), mask(1), mask(2));
    let (root, rest) = match bytes[6] {
        0 => (None, &bytes[7..]),
        1 if bytes.len() >= 39 => (Some(B256::from_slice(&bytes[7..39])), &bytes[39..]),
        _ => return Err(bad()),
    };
    if rest.len() != 32 * hash.count_ones() as usize || !tree.is_subset_of(state) || !hash.is_subset_of(state) {
        return Err(bad());
    }
    let hashes = rest.chunks_exact(32).map(B256::from_slice).collect();
    Ok(BranchNodeCompact::new(state, tree, hash, hashes, root))
}
