//! keccak256 of account addresses and storage slots: how a client turns
//! plain state into hashed state before any trie work.

use alloy_primitives::{keccak256, Address, B256};

use super::State;
use crate::data::Fixtures;
use crate::data::{self, StateExpected, StorageExpected};
use crate::measure::error::Error;
use crate::measure::workload::Workload;
use crate::measure::workload::{case, expect_eq, Throughput};

const N: usize = 10_000;

fn hash_all<T: AsRef<[u8]> + 'static>(id: &str, about: &str, items: Vec<T>, expected: B256) -> Box<dyn Workload> {
    let bytes = items.iter().map(|i| i.as_ref().len() as u64).sum();
    let out = Vec::with_capacity(items.len());
    case(
        id,
        about,
        Throughput::ElementsAndBytes { elements: items.len() as u64, bytes },
        (items, out),
        |(items, out): &mut (Vec<T>, Vec<B256>)| {
            out.clear();
            out.extend(items.iter().map(keccak256));
            out.len()
        },
        move |(items, out), n| {
            expect_eq("hashes computed", n, items.len())?;
            expect_eq("keccak256 of all hashes", keccak256(out.concat()), expected)
        },
    )
}

pub(super) fn workloads(fx: &Fixtures, state: &State) -> Result<Vec<Box<dyn Workload>>, Error> {
    let accounts: StateExpected = fx.expected(data::ACCOUNTS)?;
    let storage: StorageExpected = fx.expected(data::STORAGE)?;
    let addresses: Vec<Address> = state.accounts.iter().take(N).map(|a| a.address).collect();
    let slots: Vec<B256> = state.contracts[0].slots.iter().take(N).map(|(k, _)| *k).collect();
    Ok(vec![
        hash_all(
            "trie/keccak/addresses_10k",
            "keccak256 of 10k 20-byte addresses",
            addresses,
            accounts.hashed_addresses_keccak,
        ),
        hash_all("trie/keccak/slots_10k", "keccak256 of 10k 32-byte storage slots", slots, storage.hashed_slots_keccak),
    ])
}
