//! Write paths: a commit per put under each sync mode, and batches of N puts
//! in one transaction, in random key order (hashed keys arrive random) or
//! sorted, with and without MDBX's append fast path.

use alloy_consensus::Header;
use alloy_primitives::keccak256;
use signet_libmdbx::WriteFlags;

use super::env::{ACCOUNTS, HEADERS, STORAGE};
use super::{account_rows, rows_digest, Row, SyncMode, TempDb};
use crate::fixtures::BlockExpected;
use crate::trie::State;
use crate::workload::{expect_eq, stateful_case, Hooks, Throughput};
use crate::{fixtures, Error, Fixtures, Workload};

struct Write {
    db: TempDb,
    table: &'static str,
    rows: Vec<Row>,
    flags: WriteFlags,
    /// One committed transaction per row instead of one for all.
    commit_each: bool,
}

fn run(w: &mut Write) -> Result<(), String> {
    if w.commit_each {
        w.rows.chunks(1).try_for_each(|row| w.db.write(w.table, row, w.flags))
    } else {
        w.db.write(w.table, &w.rows, w.flags)
    }
}

fn write_case(
    id: String,
    about: String,
    db: TempDb,
    table: &'static str,
    rows: Vec<Row>,
    flags: WriteFlags,
    commit_each: bool,
) -> Box<dyn Workload> {
    let count = rows.len();
    let bytes: usize = rows.iter().map(|(k, v)| k.len() + v.len()).sum();
    let want = rows_digest(&mut rows.clone());
    let hooks = Hooks {
        reset: Some(|w: &mut Write| {
            if let Err(e) = w.db.clear(w.table) {
                crate::error::exit_with(&format!("cannot empty {} before a run: {e}", w.table));
            }
        }),
        notes: Some(|w: &mut Write| {
            let logical: usize = w.rows.iter().map(|(k, v)| k.len() + v.len()).sum();
            format!("{} for {:.1} KiB of keys and values", w.db.size_note(w.table), logical as f64 / 1024.0)
        }),
    };
    stateful_case(
        id,
        about,
        Throughput::ElementsAndBytes { elements: count as u64, bytes: bytes as u64 },
        Write { db, table, rows, flags, commit_each },
        hooks,
        run,
        move |w, result| {
            result.map_err(|e| format!("write failed: {e}"))?;
            let mut back = w.db.read_all(w.table).map_err(|e| format!("read-back failed: {e}"))?;
            expect_eq("rows read back", back.len(), count)?;
            expect_eq("digest of the rows read back", rows_digest(&mut back), want)
        },
    )
}

fn size(n: usize) -> String {
    if n >= 1000 {
        format!("{}k", n / 1000)
    } else {
        n.to_string()
    }
}

pub(super) fn workloads(fx: &Fixtures, state: &State) -> Result<Vec<Box<dyn Workload>>, Error> {
    let mut all = Vec::new();

    for (name, mode) in [
        ("durable", SyncMode::Durable),
        ("no_meta_sync", SyncMode::NoMetaSync),
        ("safe_no_sync", SyncMode::SafeNoSync),
        ("utterly_no_sync", SyncMode::UtterlyNoSync),
    ] {
        let n = 100;
        all.push(write_case(
            format!("db/commit_each/{name}_{n}"),
            format!("{n} account puts, each in its own committed transaction, sync mode {mode:?}"),
            TempDb::open(mode)?,
            ACCOUNTS,
            account_rows(state, n),
            WriteFlags::empty(),
            true,
        ));
    }

    for n in [1, 10, 100, 1_000, 10_000] {
        all.push(write_case(
            format!("db/batch/accounts_random_{}", size(n)),
            format!("{n} hashed-account puts in random key order, one durable transaction"),
            TempDb::open(SyncMode::Durable)?,
            ACCOUNTS,
            account_rows(state, n),
            WriteFlags::empty(),
            false,
        ));
    }
    let mut sorted = account_rows(state, 10_000);
    sorted.sort_unstable();
    for (name, flags, how) in
        [("sorted_put", WriteFlags::empty(), "plain put"), ("append", WriteFlags::APPEND, "MDBX_APPEND")]
    {
        all.push(write_case(
            format!("db/batch/accounts_{name}_10k"),
            format!("10000 hashed-account puts in key order with {how}, one durable transaction"),
            TempDb::open(SyncMode::Durable)?,
            ACCOUNTS,
            sorted.clone(),
            flags,
            false,
        ));
    }

    // The 10k-slot contract: key = hashed address, DUPSORT value = hashed slot ++ value.
    let contract = &state.contracts[0];
    let key = keccak256(state.accounts[contract.account as usize].address).to_vec();
    let mut slots: Vec<Row> = contract
        .slots
        .iter()
        .map(|(slot, value)| {
            let mut v = keccak256(slot).to_vec();
            v.extend_from_slice(&value.to_be_bytes_trimmed_vec());
            (key.clone(), v)
        })
        .collect();
    slots.sort_unstable();
    all.push(write_case(
        format!("db/batch/storage_append_dup_{}", size(slots.len())),
        format!("{} storage slots of one contract in a DUPSORT table with MDBX_APPENDDUP", slots.len()),
        TempDb::open(SyncMode::Durable)?,
        STORAGE,
        slots,
        WriteFlags::APPEND_DUP,
        false,
    ));

    // 1000 consecutive headers: the fixture's header renumbered.
    let expected: BlockExpected = fx.expected(fixtures::BLOCK)?;
    let (_, block) = crate::rlp::load_block(fx)?;
    let headers: Vec<Row> = (0..1_000u64)
        .map(|i| {
            let number = expected.number + i;
            let header = Header { number, ..block.header.clone() };
            (number.to_be_bytes().to_vec(), alloy_rlp::encode(&header))
        })
        .collect();
    all.push(write_case(
        "db/batch/headers_append_1k".into(),
        "1000 consecutive RLP headers keyed by block number with MDBX_APPEND".into(),
        TempDb::open(SyncMode::Durable)?,
        HEADERS,
        headers,
        WriteFlags::APPEND,
        false,
    ));
    Ok(all)
}
