//! Read paths over a 1M-row hashed-accounts table: random point reads and
//! a cursor range scan, each in one read transaction.

use std::borrow::Cow;
use std::cell::OnceCell;
use std::rc::Rc;
use std::sync::Arc;

use alloy_primitives::{keccak256, B256};
use signet_libmdbx::WriteFlags;

use super::env::ACCOUNTS;
use super::{account_value, SyncMode, TempDb};
use crate::groups::trie::State;
use crate::measure::error::Error;
use crate::measure::workload::Workload;
use crate::measure::workload::{case, deferred, expect_eq, Throughput};

/// Rows per fixture account: 10 × 100k accounts = 1M rows.
const FAN_OUT: u8 = 10;

/// Count, total bytes and a wrapping sum of every value's first eight
/// bytes: cheap enough to stay out of the way, and it touches every value
/// read (a sum, not an xor, so a value read twice does not cancel out).
/// The state at scale's reads fold the same way.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Fold {
    rows: usize,
    bytes: usize,
    sum: u64,
}

impl Fold {
    pub(crate) fn add(&mut self, value: &[u8]) {
        self.rows += 1;
        self.bytes += value.len();
        let mut head = [0u8; 8];
        let n = value.len().min(8);
        head[..n].copy_from_slice(&value[..n]);
        self.sum = self.sum.wrapping_add(u64::from_le_bytes(head));
    }
}

fn fold<'a>(values: impl IntoIterator<Item = &'a Vec<u8>>) -> Fold {
    let mut f = Fold::default();
    values.into_iter().for_each(|v| f.add(v));
    f
}

/// The 1M keys derived from the accounts fixture, keccak256(address ++ i),
/// sorted, each with the index of its account (whose value every one of its
/// keys shares). Fixed-size keys and one shared value per account keep the
/// build to a third of the time of 2M separate allocations: the table is
/// rebuilt in every round of a paired A/B.
fn million_keys(state: &State) -> Vec<(B256, u32)> {
    let mut keys: Vec<(B256, u32)> = state
        .accounts
        .iter()
        .enumerate()
        .flat_map(|(n, a)| {
            (0..FAN_OUT).map(move |i| {
                let mut preimage = [0u8; 21];
                preimage[..20].copy_from_slice(a.address.as_slice());
                preimage[20] = i;
                (keccak256(preimage), n as u32)
            })
        })
        .collect();
    keys.sort_unstable();
    keys
}

fn db_failure(e: impl std::fmt::Display) -> String {
    format!("MDBX read failed: {e}")
}

fn point_reads(db: &TempDb, keys: &[Vec<u8>]) -> Result<Fold, String> {
    let txn = db.env.begin_ro_sync().map_err(db_failure)?;
    let table = txn.open_db(Some(ACCOUNTS)).map_err(db_failure)?;
    let mut f = Fold::default();
    for key in keys {
        let value: Option<Cow<'_, [u8]>> = txn.get(table.dbi(), key).map_err(db_failure)?;
        f.add(&value.ok_or("a key written at setup is missing")?);
    }
    Ok(f)
}

fn range_scan(db: &TempDb, start: &[u8], rows: usize) -> Result<Fold, String> {
    let txn = db.env.begin_ro_sync().map_err(db_failure)?;
    let table = txn.open_db(Some(ACCOUNTS)).map_err(db_failure)?;
    let mut cursor = txn.cursor(table).map_err(db_failure)?;
    let mut f = Fold::default();
    let mut next = cursor.set_range::<Cow<'_, [u8]>, Cow<'_, [u8]>>(start).map_err(db_failure)?;
    while let Some((_, value)) = next {
        f.add(&value);
        if f.rows == rows {
            break;
        }
        next = cursor.next::<Cow<'_, [u8]>, Cow<'_, [u8]>>().map_err(db_failure)?;
    }
    Ok(f)
}

/// The 1M-row table and what the reads of it must return: built once, on
/// first use, for both read workloads.
struct Table {
    db: TempDb,
    keys: Vec<Vec<u8>>,
    point_want: Fold,
    start_key: Vec<u8>,
    scan_want: Fold,
}

/// Rows a range scan reads.
const SCAN: usize = 10_000;

impl Table {
    fn build(state: &State) -> Result<Self, Error> {
        let keys = million_keys(state);
        let values: Vec<Vec<u8>> = state.accounts.iter().map(|a| account_value(a.nonce, a.balance)).collect();
        let value = |i: usize| &values[keys[i].1 as usize];
        let db = TempDb::open(SyncMode::UtterlyNoSync)?;
        let written = (|| {
            let txn = db.env.begin_rw_sync().map_err(db_failure)?;
            let table = txn.open_db(Some(ACCOUNTS)).map_err(db_failure)?;
            for (i, (key, _)) in keys.iter().enumerate() {
                txn.put(table, key, value(i), WriteFlags::APPEND).map_err(db_failure)?;
            }
            txn.commit().map_err(db_failure)
        })();
        written.map_err(|e| Error::Output {
            path: db.path().to_owned(),
            problem: format!("building the 1M-row table: {e}"),
        })?;
        let n = keys.len();
        // Every 997th row, in an order unrelated to the key order.
        let picks: Vec<usize> = (0..1_000).map(|i| (i * 997 * 7_919) % n).collect();
        let point_want = fold(picks.iter().map(|&i| value(i)));
        let start = n / 3;
        let scan_want = fold((start..start + SCAN).map(value));
        Ok(Self {
            keys: picks.iter().map(|&i| keys[i].0.to_vec()).collect(),
            point_want,
            start_key: keys[start].0.to_vec(),
            scan_want,
            db,
        })
    }

    fn shared(cell: &OnceCell<Rc<Table>>, state: &State) -> Result<Rc<Table>, Error> {
        if let Some(table) = cell.get() {
            return Ok(table.clone());
        }
        let table = Rc::new(Self::build(state)?);
        let _ = cell.set(table.clone());
        Ok(table)
    }
}

pub(super) fn workloads(state: &Arc<State>) -> Vec<Box<dyn Workload>> {
    let n = state.accounts.len() * usize::from(FAN_OUT);
    let table: Rc<OnceCell<Rc<Table>>> = Rc::default();
    let on_table = |id: &'static str, about: String, make: fn(&'static str, String, Rc<Table>) -> Box<dyn Workload>| {
        let (state, table) = (state.clone(), table.clone());
        deferred(id, about.clone(), Box::new(move || Ok(make(id, about, Table::shared(&table, &state)?))))
    };
    vec![
        on_table(
            "db/read/point_random_1k",
            format!("1000 point reads at random keys of a {n}-row hashed-accounts table, one read transaction"),
            |id, about, t| {
                let want = t.point_want;
                let throughput = Throughput::Elements(t.keys.len() as u64);
                case(
                    id,
                    about,
                    throughput,
                    t,
                    |t| point_reads(&t.db, &t.keys),
                    move |_, result| expect_eq("rows and bytes read", result?, want),
                )
            },
        ),
        on_table(
            "db/read/range_scan_10k",
            format!("cursor scan of {SCAN} consecutive rows of a {n}-row hashed-accounts table"),
            |id, about, t| {
                let want = t.scan_want;
                case(
                    id,
                    about,
                    Throughput::Elements(SCAN as u64),
                    t,
                    |t| range_scan(&t.db, &t.start_key, SCAN),
                    move |_, result| expect_eq("rows and bytes read", result?, want),
                )
            },
        ),
    ]
}
