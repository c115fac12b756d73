//! Writes and reads on MDBX, the embedded database reth runs, through
//! `signet-libmdbx` (reth's own bindings with pre-generated FFI, so the
//! build needs only a C compiler).
//!
//! Tables are shaped like a client's: hashed accounts (32-byte key → RLP
//! account), hashed storage (32-byte key, DUPSORT on 32-byte subkey + value)
//! and headers (block number → RLP header). Every database lives in a fresh
//! temporary directory that is removed when its workload is dropped, also
//! when a benchmark panics.

pub(crate) mod env;
mod read;
mod write;

pub use env::{SyncMode, TempDb};
pub(crate) use read::Fold;

use alloy_primitives::{keccak256, B256};

use crate::data::Fixtures;
use crate::groups::trie::State;
use crate::measure::error::Error;
use crate::measure::workload::{Select, Workload};

pub fn workloads(fx: &Fixtures, select: Select) -> Result<Vec<Box<dyn Workload>>, Error> {
    env::remove_stale_dirs();
    let state = State::load(fx)?;
    let mut all = write::workloads(fx, &state, select)?;
    if select.wants_any("db/read") {
        all.extend(read::workloads(&state));
    }
    Ok(select.keep(all))
}

/// A row as written: key and value bytes.
pub type Row = (Vec<u8>, Vec<u8>);

/// Order-independent digest of rows: keccak256 over the sorted rows, each
/// length-prefixed, so "what was read back" can be compared with "what was
/// written" whatever order either happened in.
pub(crate) fn rows_digest(rows: &mut [Row]) -> B256 {
    rows.sort_unstable();
    let mut data = Vec::new();
    for (k, v) in rows.iter() {
        data.extend_from_slice(&(k.len() as u32).to_be_bytes());
        data.extend_from_slice(k);
        data.extend_from_slice(&(v.len() as u32).to_be_bytes());
        data.extend_from_slice(v);
    }
    keccak256(&data)
}

/// Hashed-account rows for the first `n` accounts: keccak256(address) → RLP
/// (nonce, balance, storage root, code hash), in the fixture's order, which
/// is random in the key.
pub(crate) fn account_rows(state: &State, n: usize) -> Vec<Row> {
    state.accounts[..n.min(state.accounts.len())]
        .iter()
        .map(|a| (keccak256(a.address).to_vec(), account_value(a.nonce, a.balance)))
        .collect()
}

fn account_value(nonce: u64, balance: u128) -> Vec<u8> {
    alloy_rlp::encode(alloy_trie::TrieAccount {
        nonce,
        balance: alloy_primitives::U256::from(balance),
        storage_root: alloy_trie::EMPTY_ROOT_HASH,
        code_hash: alloy_trie::KECCAK_EMPTY,
    })
}
