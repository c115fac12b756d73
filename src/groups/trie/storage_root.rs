//! One contract's storage root, from its hashed, sorted slots.

use super::{storage_root, State, Storages};
use crate::data::Fixtures;
use crate::data::{self, StorageExpected};
use crate::measure::error::Error;
use crate::measure::workload::Workload;
use crate::measure::workload::{case, deferred, expect_eq, Throughput};

pub(super) fn workloads(fx: &Fixtures, state: &State) -> Result<Vec<Box<dyn Workload>>, Error> {
    let expected: StorageExpected = fx.expected(data::STORAGE)?;
    let mut all = Vec::new();
    // The two large contracts come first in the fixture.
    for (i, contract) in state.contracts.iter().take(2).enumerate() {
        let n = contract.slots.len();
        let size = if n % 1000 == 0 { format!("{}k", n / 1000) } else { n.to_string() };
        let want = *expected
            .storage_roots
            .get(i)
            .ok_or_else(|| Error::fixture(data::STORAGE, format!("manifest has no storage root {i}")))?;
        let (id, about) = (
            format!("trie/storage_root/slots_{size}"),
            format!("storage root of a contract with {n} slots, from hashed sorted slots"),
        );
        let fx = fx.clone();
        all.push(deferred(
            id.clone(),
            about.clone(),
            Box::new(move || {
                let slots = Storages::load(&fx)?.hashed[i].slots.clone();
                Ok(case(
                    id,
                    about,
                    Throughput::Elements(n as u64),
                    slots,
                    |slots| storage_root(slots),
                    move |_, root| expect_eq("storage root", root, want),
                ))
            }),
        ));
    }
    Ok(all)
}
