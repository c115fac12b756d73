//! Building a tier's state on disk, once, and deciding whether a cached one
//! can be used.
//!
//! The entries are generated, sorted by hashed key and appended (MDBX's
//! `APPEND`, as a client's bulk import does), while alloy-trie's
//! `HashBuilder` computes each storage root and the state root and hands
//! back the branch nodes that the trie tables store. A second builder
//! computes, in the same pass, the root after the tier's changeset: the
//! expected value of the incremental root workload at every tier.
//!
//! A tier is built in `<tier>.partial/` and renamed when its manifest is
//! written, so a build that was interrupted is never mistaken for a state.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use alloy_primitives::{B256, U256};
use alloy_trie::{HashBuilder, Nibbles};
use rayon::prelude::*;
use signet_libmdbx::{Environment, SyncMode, WriteFlags};

use super::gen::{self, Changeset};
use super::store::{self, Manifest, ScaleDb};
use super::tier::Tier;
use crate::measure::progress::Progress;

/// Rows per write transaction while building.
const ROWS_PER_TXN: usize = 1 << 20;

/// Why a tier cannot be used.
#[derive(Debug)]
pub enum Refusal {
    Interrupted,
    Failed(String),
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::Interrupted => write!(f, "interrupted; the half-built state was removed"),
            Refusal::Failed(why) => write!(f, "{why}"),
        }
    }
}

impl From<String> for Refusal {
    fn from(why: String) -> Self {
        Refusal::Failed(why)
    }
}

thread_local! {
    /// The tiers open in this thread. MDBX refuses to open one environment
    /// twice in a process (EAGAIN), so a second group opening a tier (the
    /// pipeline after the scale group, in one `ab` worker) took the open
    /// tier for a broken one and rebuilt it, and its own copy after it, in
    /// every round: it shares the first opening instead.
    static OPEN: std::cell::RefCell<BTreeMap<Tier, std::rc::Weak<ScaleDb>>> = Default::default();
}

/// The tier's state: the one this thread has open, else the cached one if it
/// passes every check, else built now. One process at a time checks or builds
/// a tier; others wait for it.
pub fn ensure(tier: Tier) -> Result<std::rc::Rc<ScaleDb>, Refusal> {
    if let Some(open) = OPEN.with(|o| o.borrow().get(&tier).and_then(std::rc::Weak::upgrade)) {
        return Ok(open);
    }
    let db = std::rc::Rc::new(check_or_build(tier)?);
    OPEN.with(|o| o.borrow_mut().insert(tier, std::rc::Rc::downgrade(&db)));
    Ok(db)
}

fn check_or_build(tier: Tier) -> Result<ScaleDb, Refusal> {
    let _lock = lock(tier)?;
    let dir = store::tier_dir(tier);
    if dir.exists() {
        match check(tier) {
            Ok(manifest) => return Ok(ScaleDb::open(tier, manifest)?),
            Err(why) => {
                eprintln!("ethbench: the cached state of tier {tier} is unusable ({why}); rebuilding it");
                std::fs::remove_dir_all(&dir).map_err(|e| format!("removing {}: {e}", dir.display()))?;
            }
        }
    }
    build(tier)?;
    let manifest =
        check(tier).map_err(|why| format!("the state of tier {tier} fails its checks right after building: {why}"))?;
    Ok(ScaleDb::open(tier, manifest)?)
}

/// An exclusive `flock` on `<tier>.lock`, released when the file closes (also when the process dies).
fn lock(tier: Tier) -> Result<std::fs::File, String> {
    use std::os::unix::io::AsRawFd;
    let root = store::root_dir();
    std::fs::create_dir_all(&root).map_err(|e| format!("creating {}: {e}", root.display()))?;
    let path = root.join(format!("{tier}.lock"));
    let file = std::fs::File::create(&path).map_err(|e| format!("creating {}: {e}", path.display()))?;
    // SAFETY: flock on a descriptor we own.
    if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } != 0 {
        eprintln!("ethbench: another process is building or checking tier {tier}; waiting for it");
        if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) } != 0 {
            return Err(format!("cannot lock {}: {}", path.display(), std::io::Error::last_os_error()));
        }
    }
    Ok(file)
}

/// The checks a cached state must pass, cheapest first.
pub fn check(tier: Tier) -> Result<Manifest, String> {
    let dir = store::tier_dir(tier);
    if store::left_dirty(&dir) {
        return Err("a batch-write workload was interrupted before it put the old values back".into());
    }
    let text = std::fs::read(dir.join(store::MANIFEST)).map_err(|e| format!("its manifest cannot be read: {e}"))?;
    let manifest: Manifest = serde_json::from_slice(&text).map_err(|e| format!("its manifest is malformed: {e}"))?;
    if manifest.checksum != manifest.digest() {
        return Err("its manifest does not match its checksum".into());
    }
    let mix = tier.mix();
    let want = (store::FORMAT, gen::SEED, tier.to_string(), mix.accounts, mix.slots);
    let got = (manifest.format, manifest.seed, manifest.tier.clone(), manifest.accounts, manifest.slots);
    if want != got {
        return Err(format!("it was built by another version of the generator ({got:?}, this one makes {want:?})"));
    }
    let size = std::fs::metadata(dir.join(store::DATA_FILE)).map(|m| m.len()).unwrap_or(0);
    if size < manifest.data_bytes {
        return Err(format!("its data file is truncated ({size} bytes, {} when built)", manifest.data_bytes));
    }
    let env = store::open_env(&dir, SyncMode::Durable, tier)?;
    let rows = table_rows(&env)?;
    if rows != manifest.rows {
        return Err(format!("its tables hold {rows:?} rows, {:?} when built", manifest.rows));
    }
    sample_reads(&env, tier, &manifest)?;
    Ok(manifest)
}

fn table_rows(env: &Environment) -> Result<Vec<(String, u64)>, String> {
    let txn = env.begin_ro_sync().map_err(|e| store::db_error("begin", e))?;
    store::TABLES
        .iter()
        .map(|(name, _)| {
            let db = txn.open_db(Some(name)).map_err(|e| store::db_error("open table", e))?;
            let stat = txn.db_stat(&db).map_err(|e| store::db_error("stat", e))?;
            Ok((name.to_string(), stat.entries() as u64))
        })
        .collect()
}

/// 256 accounts and 256 slots read back and compared with the generator,
/// and the stored root node's hash compared with the manifest's root.
fn sample_reads(env: &Environment, tier: Tier, manifest: &Manifest) -> Result<(), String> {
    let mix = tier.mix();
    let txn = env.begin_ro_sync().map_err(|e| store::db_error("begin", e))?;
    let accounts = txn.open_db(Some(store::ACCOUNTS)).map_err(|e| store::db_error("open table", e))?;
    let storage = txn.open_db(Some(store::STORAGE)).map_err(|e| store::db_error("open table", e))?;
    let nodes = txn.open_db(Some(store::ACCOUNTS_TRIE)).map_err(|e| store::db_error("open table", e))?;
    for t in 0..256u64 {
        let a = gen::account(&mix, (t * 7_919 + 13) % mix.accounts);
        let value: Option<Vec<u8>> =
            txn.get(accounts.dbi(), a.hashed.as_slice()).map_err(|e| store::db_error("read", e))?;
        let value = value.ok_or_else(|| format!("account {} is missing", a.index))?;
        let leaf: alloy_trie::TrieAccount = alloy_rlp::Decodable::decode(&mut &value[..])
            .map_err(|e| format!("account {} is malformed: {e}", a.index))?;
        if (leaf.nonce, leaf.balance, leaf.code_hash) != (a.nonce, a.balance, a.code_hash) {
            return Err(format!("account {} does not hold what the generator wrote", a.index));
        }
        let k = t % mix.contracts;
        let s = gen::slot(k, (t * 104_729) % mix.slot_count(k));
        let owner = gen::account(&mix, k).hashed;
        let mut cursor = txn.cursor(storage).map_err(|e| store::db_error("cursor", e))?;
        let row: Option<Vec<u8>> =
            cursor.get_both_range(owner.as_slice(), s.hashed.as_slice()).map_err(|e| store::db_error("read", e))?;
        if row.as_deref() != Some(&store::storage_row(s.hashed, s.value)[..]) {
            return Err(format!("slot {} of contract {k} does not hold what the generator wrote", s.index));
        }
    }
    let root: Option<Vec<u8>> = txn.get(nodes.dbi(), &[]).map_err(|e| store::db_error("read", e))?;
    let root = store::decode_node(&root.ok_or("the trie's root node is missing")?)?;
    if root.root_hash != Some(manifest.root) {
        return Err("the stored root node does not hash to the manifest's root".into());
    }
    Ok(())
}

static INTERRUPTED: AtomicBool = AtomicBool::new(false);

extern "C" fn on_signal(_: libc::c_int) {
    INTERRUPTED.store(true, Ordering::SeqCst);
}

/// SIGINT and SIGTERM set a flag the build checks, for as long as this lives.
struct InterruptGuard;

impl InterruptGuard {
    fn install() -> Self {
        INTERRUPTED.store(false, Ordering::SeqCst);
        let handler = on_signal as extern "C" fn(libc::c_int) as libc::sighandler_t;
        // SAFETY: the handler only stores to an atomic, which is async-signal-safe.
        unsafe {
            libc::signal(libc::SIGINT, handler);
            libc::signal(libc::SIGTERM, handler);
        }
        InterruptGuard
    }
}

impl Drop for InterruptGuard {
    fn drop(&mut self) {
        // SAFETY: restores the default dispositions.
        unsafe {
            libc::signal(libc::SIGINT, libc::SIG_DFL);
            libc::signal(libc::SIGTERM, libc::SIG_DFL);
        }
    }
}

fn interrupted() -> Result<(), Refusal> {
    if INTERRUPTED.load(Ordering::SeqCst) {
        Err(Refusal::Interrupted)
    } else {
        Ok(())
    }
}

/// Build `tier` from nothing. Whatever happens, no partial state is left.
fn build(tier: Tier) -> Result<(), Refusal> {
    let partial = store::partial_dir(tier);
    let guard = InterruptGuard::install();
    let result = build_in(tier, &partial);
    drop(guard);
    match result {
        Ok(()) => {
            std::fs::rename(&partial, store::tier_dir(tier))
                .map_err(|e| format!("renaming {}: {e}", partial.display()))?;
            Ok(())
        }
        Err(e) => {
            let _ = std::fs::remove_dir_all(&partial);
            Err(e)
        }
    }
}

/// `Ok` when `free` bytes (unknown: assumed enough) hold the build of `tier` in `dir`.
pub(crate) fn room(tier: Tier, free: Option<u64>, dir: &std::path::Path) -> Result<(), String> {
    let needed = tier.disk_bytes();
    match free {
        Some(free) if free < needed => Err(format!(
            "tier {tier} needs about {:.1} GiB free under {}, and {:.1} GiB are free; free some space or choose a smaller tier",
            gib(needed),
            dir.display(),
            gib(free)
        )),
        _ => Ok(()),
    }
}

fn gib(bytes: u64) -> f64 {
    bytes as f64 / (1u64 << 30) as f64
}

fn build_in(tier: Tier, dir: &std::path::Path) -> Result<(), Refusal> {
    let start = Instant::now();
    let root = store::root_dir();
    std::fs::create_dir_all(&root).map_err(|e| format!("creating {}: {e}", root.display()))?;
    room(tier, super::io::free_bytes(&root), &root)?;
    if dir.exists() {
        std::fs::remove_dir_all(dir).map_err(|e| format!("removing the leftover {}: {e}", dir.display()))?;
    }
    std::fs::create_dir_all(dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
    let env = store::open_env(dir, SyncMode::UtterlyNoSync, tier)?;
    let mix = tier.mix();
    let changes = Changeset::of(tier);
    let mut progress = Progress::new(format!("building tier {tier}"), mix.accounts + mix.slots);

    let mut order: Vec<(B256, u64)> =
        (0..mix.accounts).into_par_iter().map(|i| (gen::account(&mix, i).hashed, i)).collect();
    order.par_sort_unstable();
    interrupted()?;

    let mut writer = Writer::new(&env)?;
    let mut state = HashBuilder::default().with_updates(true);
    let mut changed_state = HashBuilder::default();
    for (hashed, i) in order {
        let a = gen::account(&mix, i);
        let (storage_root, changed_storage_root) = if a.is_contract(&mix) {
            let slots = gen::slots(&mix, i);
            progress.advance(slots.len() as u64);
            let roots = write_storage(&mut writer, hashed, &slots, changes.storage.get(&i))?;
            interrupted()?;
            roots
        } else {
            (gen::EMPTY_STORAGE, gen::EMPTY_STORAGE)
        };
        let leaf = a.leaf(storage_root);
        writer.put(store::ACCOUNTS, hashed.as_slice(), &leaf, WriteFlags::APPEND)?;
        state.add_leaf(Nibbles::unpack(hashed), &leaf);
        let changed = changes.accounts.get(&i).copied().unwrap_or(a);
        changed_state.add_leaf(Nibbles::unpack(hashed), &changed.leaf(changed_storage_root));
        progress.advance(1);
        if writer.pending >= ROWS_PER_TXN {
            writer.commit()?;
            interrupted()?;
        }
    }
    let root = state.root();
    let root_after_changeset = changed_state.root();
    let (_, nodes) = state.split();
    let mut nodes: Vec<_> = nodes.into_iter().collect();
    nodes.sort_unstable_by_key(|(path, _)| *path);
    for (path, node) in nodes {
        writer.put(store::ACCOUNTS_TRIE, &path.to_vec(), &store::encode_node(&node), WriteFlags::APPEND)?;
    }
    writer.commit()?;
    env.sync(true).map_err(|e| store::db_error("sync", e))?;
    let rows = table_rows(&env)?;
    drop(env);
    progress.finish();

    let data_bytes = std::fs::metadata(dir.join(store::DATA_FILE)).map(|m| m.len()).unwrap_or(0);
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    let mut manifest = Manifest {
        format: store::FORMAT,
        seed: gen::SEED,
        tier: tier.to_string(),
        accounts: mix.accounts,
        contracts: mix.contracts,
        slots: mix.slots,
        root,
        root_after_changeset,
        rows,
        data_bytes,
        build_ms: start.elapsed().as_millis() as u64,
        built: crate::measure::machine::civil_date(secs as i64),
        checksum: B256::ZERO,
    };
    manifest.checksum = manifest.digest();
    let json = serde_json::to_vec_pretty(&manifest).expect("a manifest serialises");
    std::fs::write(dir.join(store::MANIFEST), json).map_err(|e| format!("writing the manifest: {e}"))?;
    Ok(())
}

/// One contract's storage rows and storage-trie nodes, written; its storage
/// root, and its root after the changeset's writes to it.
fn write_storage(
    writer: &mut Writer,
    owner: B256,
    slots: &[gen::Slot],
    changes: Option<&BTreeMap<B256, U256>>,
) -> Result<(B256, B256), Refusal> {
    let mut builder = HashBuilder::default().with_updates(true);
    for s in slots {
        writer.put(store::STORAGE, owner.as_slice(), &store::storage_row(s.hashed, s.value), WriteFlags::APPEND_DUP)?;
        builder.add_leaf(Nibbles::unpack(s.hashed), &gen::slot_leaf(s.value));
    }
    let root = builder.root();
    let (_, nodes) = builder.split();
    let mut nodes: Vec<_> = nodes.into_iter().collect();
    nodes.sort_unstable_by_key(|(path, _)| *path);
    for (path, node) in nodes {
        let mut key = owner.to_vec();
        key.extend_from_slice(&path.to_vec());
        writer.put(store::STORAGES_TRIE, &key, &store::encode_node(&node), WriteFlags::APPEND)?;
    }
    let changed_root = match changes {
        None => root,
        Some(writes) => {
            let mut merged: BTreeMap<B256, U256> = slots.iter().map(|s| (s.hashed, s.value)).collect();
            merged.extend(writes.iter().map(|(k, v)| (*k, *v)));
            let mut b = HashBuilder::default();
            for (k, v) in merged {
                b.add_leaf(Nibbles::unpack(k), &gen::slot_leaf(v));
            }
            b.root()
        }
    };
    Ok((root, changed_root))
}

/// Puts rows in one write transaction until it is committed.
struct Writer<'e> {
    env: &'e Environment,
    txn: Option<signet_libmdbx::TxSync<signet_libmdbx::RwSync>>,
    pending: usize,
}

impl<'e> Writer<'e> {
    fn new(env: &'e Environment) -> Result<Self, String> {
        Ok(Self { env, txn: Some(env.begin_rw_sync().map_err(|e| store::db_error("begin", e))?), pending: 0 })
    }

    fn put(&mut self, table: &str, key: &[u8], value: &[u8], flags: WriteFlags) -> Result<(), String> {
        let txn = self.txn.as_ref().expect("a transaction is open");
        let db = txn.open_db(Some(table)).map_err(|e| store::db_error("open table", e))?;
        txn.put(db, key, value, flags).map_err(|e| store::db_error(&format!("append to {table}"), e))?;
        self.pending += 1;
        Ok(())
    }

    fn commit(&mut self) -> Result<(), String> {
        let txn = self.txn.take().expect("a transaction is open");
        txn.commit().map_err(|e| store::db_error("commit", e))?;
        self.txn = Some(self.env.begin_rw_sync().map_err(|e| store::db_error("begin", e))?);
        self.pending = 0;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_build_that_does_not_fit_is_refused_with_what_it_needs() {
        let dir = std::path::Path::new("target/ethbench-scale");
        let e = room(Tier(8), Some(5 << 30), dir).unwrap_err();
        assert!(e.contains("tier 1e8 needs about 11.2 GiB free") && e.contains("5.0 GiB are free"), "{e}");
        assert_eq!(room(Tier(8), Some(Tier(8).disk_bytes()), dir), Ok(()));
        assert_eq!(room(Tier(8), None, dir), Ok(()));
    }

    #[test]
    fn a_stored_node_reads_back_and_a_cut_one_is_refused() {
        use alloy_trie::{BranchNodeCompact, TrieMask};
        let node = BranchNodeCompact::new(
            TrieMask::new(0b1011),
            TrieMask::new(0b0001),
            TrieMask::new(0b0011),
            vec![B256::repeat_byte(1), B256::repeat_byte(2)],
            Some(B256::repeat_byte(9)),
        );
        let bytes = store::encode_node(&node);
        assert_eq!(store::decode_node(&bytes), Ok(node));
        assert!(store::decode_node(&bytes[..bytes.len() - 1]).is_err());
    }
}
