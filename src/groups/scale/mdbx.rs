//! MDBX at scale: point reads of accounts and of slots (DUPSORT), a cursor
//! seek with a walk of 100 entries, and a committed batch of 1,000 account
//! updates, durable and not.

use std::rc::Rc;

use alloy_primitives::{B256, U256};
use rayon::prelude::*;
use signet_libmdbx::WriteFlags;

use super::cache::{self, Cache, OnState};
use super::gen::{self, word};
use super::store::{self, db_error, storage_row, ScaleDb};
use crate::groups::db::Fold;
use crate::measure::workload::Workload;
use crate::measure::workload::{expect_eq, stateful_case, Hooks, Throughput};

/// Reads per run: few enough that a cold run stays cold to its end.
pub(crate) const READS: usize = 100;
/// Seeks per run, each walking [`WALK`] entries.
pub(crate) const SEEKS: usize = 10;
pub(crate) const WALK: usize = 100;
/// Account updates per committed batch.
pub(crate) const BATCH: usize = 1_000;
/// Runs cycle through this many different batches of keys, so a warm run
/// does not read the same 100 keys from the CPU's cache.
const BATCHES: usize = 64;

/// Batches of keys, one batch per run in turn, each with the fold its reads must return.
struct Batches<K> {
    keys: Vec<Vec<K>>,
    want: Vec<Fold>,
    next: usize,
}

impl<K> Batches<K> {
    /// [`BATCHES`] batches of `per` keys: `key(n, fold)` makes the n-th key
    /// and folds in what reading it must return.
    fn new(per: usize, mut key: impl FnMut(u64, &mut Fold) -> K) -> Self {
        let (mut keys, mut want) = (Vec::new(), Vec::new());
        for b in 0..BATCHES {
            let mut fold = Fold::default();
            keys.push((0..per).map(|r| key((b * per + r) as u64, &mut fold)).collect());
            want.push(fold);
        }
        Self { keys, want, next: 0 }
    }

    fn take(&mut self) -> (usize, &[K]) {
        let i = self.next;
        self.next = (self.next + 1) % self.keys.len();
        (i, &self.keys[i])
    }
}

/// Random non-contract accounts, uniformly.
fn eoa(mix: &super::tier::Mix, t: u64) -> gen::Account {
    let span = mix.accounts - mix.contracts;
    gen::account(mix, mix.contracts + u64::from_be_bytes(word("read account", &[t])[..8].try_into().unwrap()) % span)
}

struct Reads<K> {
    db: Rc<ScaleDb>,
    batches: Batches<K>,
}

impl<K> OnState for Reads<K> {
    fn state(&self) -> &ScaleDb {
        &self.db
    }
}

fn account_batches(db: &ScaleDb) -> Batches<B256> {
    let mix = db.tier.mix();
    Batches::new(READS, |n, fold| {
        let a = eoa(&mix, n);
        fold.add(&a.leaf(gen::EMPTY_STORAGE));
        a.hashed
    })
}

fn read_accounts(r: &mut Reads<B256>) -> Result<(usize, Fold), String> {
    let (txn, table) = r.db.read(store::ACCOUNTS)?;
    let (i, keys) = r.batches.take();
    let mut fold = Fold::default();
    for key in keys {
        let value: Option<std::borrow::Cow<'_, [u8]>> =
            txn.get(table.dbi(), key.as_slice()).map_err(|e| db_error("read", e))?;
        fold.add(&value.ok_or_else(|| format!("account {key} is missing"))?);
    }
    Ok((i, fold))
}

/// A slot picked uniformly among all slots, so large contracts are read as often as they are large.
fn slot_batches(db: &ScaleDb) -> Batches<(B256, B256)> {
    let mix = db.tier.mix();
    let mut ends = Vec::with_capacity(mix.contracts as usize);
    let mut total = 0;
    for k in 0..mix.contracts {
        total += mix.slot_count(k);
        ends.push(total);
    }
    let mut owners = std::collections::HashMap::<u64, B256>::new();
    Batches::new(READS, |n, fold| {
        let g = u64::from_be_bytes(word("read slot", &[n])[..8].try_into().unwrap()) % total;
        let k = ends.partition_point(|end| *end <= g) as u64;
        let j = g - if k == 0 { 0 } else { ends[k as usize - 1] };
        let s = gen::slot(k, j);
        fold.add(&storage_row(s.hashed, s.value));
        let owner = *owners.entry(k).or_insert_with(|| gen::account(&mix, k).hashed);
        (owner, s.hashed)
    })
}

fn read_slots(r: &mut Reads<(B256, B256)>) -> Result<(usize, Fold), String> {
    let (txn, table) = r.db.read(store::STORAGE)?;
    let mut cursor = txn.cursor(table).map_err(|e| db_error("cursor", e))?;
    let (i, keys) = r.batches.take();
    let mut fold = Fold::default();
    for (owner, slot) in keys {
        let row: Option<std::borrow::Cow<'_, [u8]>> =
            cursor.get_both_range(owner.as_slice(), slot.as_slice()).map_err(|e| db_error("read", e))?;
        let row = row
            .filter(|row| row.starts_with(slot.as_slice()))
            .ok_or_else(|| format!("slot {slot} of {owner} is missing"))?;
        fold.add(&row);
    }
    Ok((i, fold))
}

/// Seek keys at random, and what walking from each must read: the next
/// [`WALK`] hashed accounts in key order, from the generator's own sorted list.
fn walk_batches(db: &ScaleDb) -> Batches<B256> {
    let mix = db.tier.mix();
    let mut sorted: Vec<(B256, u64)> =
        (0..mix.accounts).into_par_iter().map(|i| (gen::account(&mix, i).hashed, i)).collect();
    sorted.par_sort_unstable();
    Batches::new(SEEKS, |n, fold| {
        let start = word("seek", &[n]);
        let first = sorted.partition_point(|(k, _)| *k < start);
        for (key, _) in sorted.iter().cycle().skip(first).take(WALK) {
            fold.add(key.as_slice());
        }
        start
    })
}

fn seek_walks(r: &mut Reads<B256>) -> Result<(usize, Fold), String> {
    let (txn, table) = r.db.read(store::ACCOUNTS)?;
    let mut cursor = txn.cursor(table).map_err(|e| db_error("cursor", e))?;
    let (i, keys) = r.batches.take();
    let mut fold = Fold::default();
    for start in keys {
        type Row<'t> = Option<(std::borrow::Cow<'t, [u8]>, std::borrow::Cow<'t, [u8]>)>;
        let mut row: Row<'_> = cursor.set_range(start.as_slice()).map_err(|e| db_error("seek", e))?;
        for _ in 0..WALK {
            // Past the last key, the walk wraps to the first, as the expected fold does.
            if row.is_none() {
                row = cursor.first().map_err(|e| db_error("read", e))?;
            }
            let (key, _) = row.as_ref().ok_or("the accounts table is empty")?;
            fold.add(key);
            row = cursor.next().map_err(|e| db_error("read", e))?;
        }
    }
    Ok((i, fold))
}

fn check(r: &Reads<impl Sized>, out: Result<(usize, Fold), String>) -> Result<(), String> {
    let (i, fold) = out?;
    expect_eq("what the reads returned (rows, bytes, sum)", fold, r.batches.want[i])
}

/// A read workload: `per` reads (or seeks) a run, over batches of keys `batches` makes.
fn reads<K: 'static>(
    id: String,
    about: String,
    db: Rc<ScaleDb>,
    cache: Cache,
    (per, batches, op): ReadKind<K>,
) -> Box<dyn Workload> {
    let batches = batches(&db);
    let hooks = cache::hooks(cache);
    stateful_case(id, about, Throughput::Elements(per as u64), Reads { db, batches }, hooks, op, check)
}

/// Reads (or seeks) per run, the keys' maker, and one run.
type ReadKind<K> = (usize, fn(&ScaleDb) -> Batches<K>, fn(&mut Reads<K>) -> Result<(usize, Fold), String>);

pub(super) fn read_account(id: String, about: String, db: Rc<ScaleDb>, cache: Cache) -> Box<dyn Workload> {
    reads(id, about, db, cache, (READS, account_batches, read_accounts))
}

pub(super) fn read_slot(id: String, about: String, db: Rc<ScaleDb>, cache: Cache) -> Box<dyn Workload> {
    reads(id, about, db, cache, (READS, slot_batches, read_slots))
}

pub(super) fn seek_walk(id: String, about: String, db: Rc<ScaleDb>, cache: Cache) -> Box<dyn Workload> {
    reads(id, about, db, cache, (SEEKS, walk_batches, seek_walks))
}

/// A batch of account updates and the values it replaces.
struct Commit {
    db: Rc<ScaleDb>,
    durable: bool,
    /// Sorted by key: (key, old leaf, new leaf).
    rows: Vec<(B256, Vec<u8>, Vec<u8>)>,
}

impl Commit {
    fn mark(&self) -> &'static str {
        if self.durable {
            "commit-durable"
        } else {
            "commit-nosync"
        }
    }
}

impl Drop for Commit {
    /// Put the old values back and clear the write mark, so the cached state stays the one its manifest describes.
    fn drop(&mut self) {
        if restore(self).is_ok() {
            let _ = self.db.written(self.mark());
        }
    }
}

fn put_all(c: &Commit, new: bool, durable: bool) -> Result<(), String> {
    let env = c.db.env();
    env.with_raw_env_ptr(|ptr| {
        // SAFETY: no write transaction is open; MDBX allows switching the sync mode between them.
        let rc =
            unsafe { signet_libmdbx::ffi::mdbx_env_set_flags(ptr, signet_libmdbx::ffi::MDBX_SAFE_NOSYNC, !durable) };
        if rc == 0 {
            Ok(())
        } else {
            Err(format!("MDBX could not switch the sync mode ({rc})"))
        }
    })?;
    let txn = env.begin_rw_sync().map_err(|e| db_error("begin", e))?;
    let table = txn.open_db(Some(store::ACCOUNTS)).map_err(|e| db_error("open table", e))?;
    for (key, old, fresh) in &c.rows {
        txn.put(table, key.as_slice(), if new { fresh } else { old }, WriteFlags::empty())
            .map_err(|e| db_error("put", e))?;
    }
    txn.commit().map_err(|e| db_error("commit", e))
}

fn restore(c: &mut Commit) -> Result<(), String> {
    put_all(c, false, true)
}

fn commit_batch(c: &mut Commit) -> Result<(), String> {
    put_all(c, true, c.durable)
}

pub(super) fn commit(id: String, about: String, db: Rc<ScaleDb>, durable: bool) -> Result<Box<dyn Workload>, String> {
    let mix = db.tier.mix();
    let mut rows: Vec<(B256, Vec<u8>, Vec<u8>)> = (0..BATCH as u64)
        .map(|t| {
            let a = eoa(&mix, u64::MAX - t);
            let mut b = a;
            b.nonce += 1;
            b.balance += U256::from(1);
            (a.hashed, a.leaf(gen::EMPTY_STORAGE), b.leaf(gen::EMPTY_STORAGE))
        })
        .collect();
    rows.sort_unstable();
    rows.dedup_by(|a, b| a.0 == b.0);
    let input = Commit { db, durable, rows };
    input.db.writing(input.mark())?;
    let hooks = Hooks { reset: Some(restore as fn(&mut Commit) -> Result<(), String>), notes: None };
    Ok(stateful_case(id, about, Throughput::Elements(BATCH as u64), input, hooks, commit_batch, |c: &Commit, out| {
        out?;
        let (txn, table) = c.db.read(store::ACCOUNTS)?;
        for (key, _, fresh) in &c.rows {
            let got: Option<Vec<u8>> = txn.get(table.dbi(), key.as_slice()).map_err(|e| db_error("read", e))?;
            expect_eq("an updated account read back after the commit", got.as_ref(), Some(fresh))?;
        }
        Ok(())
    }))
}
