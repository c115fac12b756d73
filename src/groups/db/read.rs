//! Read paths over a 1M-row hashed-accounts table: random point reads and
//! a cursor range scan, each in one read transaction.

use std::borrow::Cow;
use std::cell::OnceCell;
use std::rc::Rc;
use std::sync::Arc;

use alloy_primitives::keccak256;
use signet_libmdbx::WriteFlags;

use super::env::ACCOUNTS;
use super::{account_value, Row, SyncMode, TempDb};
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

/// 1M rows derived from the accounts fixture: keccak256(address ++ i) → the account, sorted.
fn million_rows(state: &State) -> Vec<Row> {
    let mut rows: Vec<Row> = state
        .accounts
        .iter()
        .flat_map(|a| {
            let value = account_value(a.nonce, a.balance);
            (0..FAN_OUT).map(move |i| {
                let mut preimage = a.address.to_vec();
                preimage.push(i);
                (keccak256(&preimage).to_vec(), value.clone())
            })
        })
        .collect();
    rows.sort_unstable();
    rows
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
        let rows = million_rows(state);
        let db = TempDb::open(SyncMode::UtterlyNoSync)?;
        db.write(ACCOUNTS, &rows, WriteFlags::APPEND).map_err(|e| Error::Output {
            path: db.path().to_owned(),
            problem: format!("building the 1M-row table: {e}"),
        })?;
        let n = rows.len();
        // Every 997th row, in an order unrelated to the key order.
        let picks: Vec<usize> = (0..1_000).map(|i| (i * 997 * 7_919) % n).collect();
        let keys = picks.iter().map(|&i| rows[i].0.clone()).collect();
        let point_want = fold(picks.iter().map(|&i| &rows[i].1));
        let start = n / 3;
        let scan_want = fold(rows[start..start + SCAN].iter().map(|(_, v)| v));
        Ok(Self { db, keys, point_want, start_key: rows[start].0.clone(), scan_want })
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
