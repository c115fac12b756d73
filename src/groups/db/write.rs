//! Write paths: a commit per put under each sync mode, and batches of N puts
//! in one transaction, in random key order (hashed keys arrive random) or
//! sorted, with and without MDBX's append fast path.

use alloy_consensus::Header;
use alloy_primitives::keccak256;
use signet_libmdbx::WriteFlags;

use super::env::{ACCOUNTS, HEADERS, STORAGE};
use super::{account_rows, rows_digest, Row, SyncMode, TempDb};
use crate::data;
use crate::data::BlockExpected;
use crate::data::Fixtures;
use crate::groups::trie::State;
use crate::measure::error::Error;
use crate::measure::workload::{deferred, expect_eq, stateful_case, Hooks, Throughput};
use crate::measure::workload::{Select, Workload};

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

/// One write workload, before its database is opened.
struct Spec {
    id: String,
    about: String,
    sync: SyncMode,
    table: &'static str,
    rows: Vec<Row>,
    flags: WriteFlags,
    commit_each: bool,
}

fn write_case(spec: Spec) -> Result<Box<dyn Workload>, Error> {
    let Spec { id, about, sync, table, rows, flags, commit_each } = spec;
    let db = TempDb::open(sync)?;
    let count = rows.len();
    let bytes: usize = rows.iter().map(|(k, v)| k.len() + v.len()).sum();
    let want = rows_digest(&mut rows.clone());
    let hooks = Hooks {
        reset: Some(|w: &mut Write| w.db.clear(w.table).map_err(|e| format!("cannot empty {}: {e}", w.table))),
        notes: Some(|w: &mut Write| {
            let logical: usize = w.rows.iter().map(|(k, v)| k.len() + v.len()).sum();
            format!("{} for {:.1} KiB of keys and values", w.db.size_note(w.table), logical as f64 / 1024.0)
        }),
    };
    Ok(stateful_case(
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
    ))
}

fn size(n: usize) -> String {
    if n >= 1000 {
        format!("{}k", n / 1000)
    } else {
        n.to_string()
    }
}

pub(super) fn workloads(fx: &Fixtures, state: &State, select: Select) -> Result<Vec<Box<dyn Workload>>, Error> {
    let mut specs = Vec::new();

    for (name, sync) in [
        ("durable", SyncMode::Durable),
        ("no_meta_sync", SyncMode::NoMetaSync),
        ("safe_no_sync", SyncMode::SafeNoSync),
        ("utterly_no_sync", SyncMode::UtterlyNoSync),
    ] {
        let n = 100;
        specs.push(Spec {
            id: format!("db/commit_each/{name}_{n}"),
            about: format!("{n} account puts, each in its own committed transaction, sync mode {sync:?}"),
            sync,
            table: ACCOUNTS,
            rows: account_rows(state, n),
            flags: WriteFlags::empty(),
            commit_each: true,
        });
    }

    for n in [1, 10, 100, 1_000, 10_000] {
        specs.push(Spec {
            id: format!("db/batch/accounts_random_{}", size(n)),
            about: format!("{n} hashed-account puts in random key order, one durable transaction"),
            sync: SyncMode::Durable,
            table: ACCOUNTS,
            rows: account_rows(state, n),
            flags: WriteFlags::empty(),
            commit_each: false,
        });
    }
    let mut sorted = account_rows(state, 10_000);
    sorted.sort_unstable();
    for (name, flags, how) in
        [("sorted_put", WriteFlags::empty(), "plain put"), ("append", WriteFlags::APPEND, "MDBX_APPEND")]
    {
        specs.push(Spec {
            id: format!("db/batch/accounts_{name}_10k"),
            about: format!("10000 hashed-account puts in key order with {how}, one durable transaction"),
            sync: SyncMode::Durable,
            table: ACCOUNTS,
            rows: sorted.clone(),
            flags,
            commit_each: false,
        });
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
    specs.push(Spec {
        id: format!("db/batch/storage_append_dup_{}", size(slots.len())),
        about: format!("{} storage slots of one contract in a DUPSORT table with MDBX_APPENDDUP", slots.len()),
        sync: SyncMode::Durable,
        table: STORAGE,
        rows: slots,
        flags: WriteFlags::APPEND_DUP,
        commit_each: false,
    });

    // 1000 consecutive headers: the fixture's header renumbered.
    let expected: BlockExpected = fx.expected(data::BLOCK)?;
    let fixture = crate::data::load_block(fx)?;
    let block = &fixture.value;
    let headers: Vec<Row> = (0..1_000u64)
        .map(|i| {
            let number = expected.number + i;
            let header = Header { number, ..block.header.clone() };
            (number.to_be_bytes().to_vec(), alloy_rlp::encode(&header))
        })
        .collect();
    specs.push(Spec {
        id: "db/batch/headers_append_1k".into(),
        about: "1000 consecutive RLP headers keyed by block number with MDBX_APPEND".into(),
        sync: SyncMode::Durable,
        table: HEADERS,
        rows: headers,
        flags: WriteFlags::APPEND,
        commit_each: false,
    });

    // A database is opened when a workload is first used, not when it is listed.
    Ok(specs
        .into_iter()
        .filter(|s| select.wants(&s.id))
        .map(|spec| deferred(spec.id.clone(), spec.about.clone(), Box::new(move || write_case(spec))))
        .collect())
}
