//! State roots from scratch: the account trie alone at three sizes, and the
//! full pipeline (every storage root, then the account trie) with storage
//! roots computed one after another or in parallel on rayon.

use super::{account_leaves, account_root, state_root, State, Storages};
use crate::data::Fixtures;
use crate::data::{self, StateExpected};
use crate::measure::error::Error;
use crate::measure::workload::{case, deferred, expect_eq, Throughput};
use crate::measure::workload::{Select, Workload};

pub(super) fn workloads(fx: &Fixtures, state: &State, select: Select) -> Result<Vec<Box<dyn Workload>>, Error> {
    let expected: StateExpected = fx.expected(data::ACCOUNTS)?;
    let mut all = Vec::new();
    for n in [1_000, 10_000, 100_000] {
        let id = format!("trie/state_root/accounts_{}k", n / 1000);
        let about = format!("account trie root over {n} hashed, sorted accounts (storage roots given)");
        let want = expected.root(n)?;
        let fx = fx.clone();
        all.push(deferred(
            id.clone(),
            about.clone(),
            Box::new(move || {
                Ok(case(
                    id,
                    about,
                    Throughput::Elements(n as u64),
                    account_leaves(&fx, n)?,
                    |leaves| account_root(leaves),
                    move |_, root| expect_eq("state root", root, want),
                ))
            }),
        ));
    }

    let slots: usize = state.contracts.iter().map(|c| c.slots.len()).sum();
    let want = expected.root(10_000)?;
    for (name, parallel) in [("sequential", false), ("rayon", true)] {
        let id = format!("trie/full_state_root/{name}_10k");
        let about = format!(
            "state root of 10k accounts with {} contracts' storage ({slots} slots), storage roots {}",
            state.contracts.len(),
            if parallel { "in parallel on rayon" } else { "one after another" }
        );
        let fx = fx.clone();
        all.push(deferred(
            id.clone(),
            about.clone(),
            Box::new(move || {
                let accounts = State::load(&fx)?.hashed_accounts(10_000);
                let storages = Storages::load(&fx)?.hashed.clone();
                Ok(case(
                    id,
                    about,
                    Throughput::Elements((accounts.len() + slots) as u64),
                    (accounts, storages),
                    move |(accounts, storages)| state_root(accounts, storages, parallel),
                    move |_, root| expect_eq("state root", root, want),
                ))
            }),
        ));
    }
    Ok(select.keep(all))
}
