//! State roots from scratch: the account trie alone at three sizes, and the
//! full pipeline (every storage root, then the account trie) with storage
//! roots computed one after another or in parallel on rayon.

use alloy_primitives::B256;
use alloy_trie::TrieAccount;

use super::{account_root, state_root, storage_roots_sequential, trie_account, State};
use crate::fixtures::{self, StateExpected};
use crate::workload::{case, expect_eq, Throughput};
use crate::{Error, Fixtures, Select, Workload};

pub(super) fn workloads(fx: &Fixtures, state: &State, select: Select) -> Result<Vec<Box<dyn Workload>>, Error> {
    let expected: StateExpected = fx.expected(fixtures::ACCOUNTS)?;
    if !select.wants_any("trie/state_root") && !select.wants_any("trie/full_state_root") {
        return Ok(Vec::new());
    }
    let storages = state.hashed_storages();
    let storage_roots = storage_roots_sequential(&storages);

    let mut all = Vec::new();
    for n in [1_000, 10_000, 100_000] {
        let id = format!("trie/state_root/accounts_{}k", n / 1000);
        if !select.wants(&id) {
            continue;
        }
        let leaves: Vec<(B256, TrieAccount)> =
            state.hashed_accounts(n).iter().map(|a| (a.key, trie_account(a, &storages, &storage_roots))).collect();
        let want = expected.root(n)?;
        all.push(case(
            id,
            format!("account trie root over {n} hashed, sorted accounts (storage roots given)"),
            Throughput::Elements(n as u64),
            leaves,
            |leaves| account_root(leaves),
            move |_, root| expect_eq("state root", root, want),
        ));
    }

    let accounts = state.hashed_accounts(10_000);
    let slots: usize = storages.iter().map(|s| s.slots.len()).sum();
    let want = expected.root(10_000)?;
    for (name, parallel) in [("sequential", false), ("rayon", true)] {
        all.push(case(
            format!("trie/full_state_root/{name}_10k"),
            format!(
                "state root of 10k accounts with {} contracts' storage ({slots} slots), storage roots {}",
                storages.len(),
                if parallel { "in parallel on rayon" } else { "one after another" }
            ),
            Throughput::Elements((accounts.len() + slots) as u64),
            (accounts.clone(), storages.clone()),
            move |(accounts, storages)| state_root(accounts, storages, parallel),
            move |_, root| expect_eq("state root", root, want),
        ));
    }
    Ok(all)
}
