//! One contract's storage root, from its hashed, sorted slots.

use super::{storage_root, State};
use crate::fixtures::{self, StorageExpected};
use crate::workload::{case, expect_eq, Throughput};
use crate::{Error, Fixtures, Workload};

pub(super) fn workloads(fx: &Fixtures, state: &State) -> Result<Vec<Box<dyn Workload>>, Error> {
    let expected: StorageExpected = fx.expected(fixtures::STORAGE)?;
    let storages = state.hashed_storages();
    let mut all = Vec::new();
    // The two large contracts come first in the fixture.
    for (i, storage) in storages.into_iter().take(2).enumerate() {
        let n = storage.slots.len();
        let size = if n % 1000 == 0 { format!("{}k", n / 1000) } else { n.to_string() };
        let want = *expected
            .storage_roots
            .get(i)
            .ok_or_else(|| Error::fixture(fixtures::STORAGE, format!("manifest has no storage root {i}")))?;
        all.push(case(
            format!("trie/storage_root/slots_{size}"),
            format!("storage root of a contract with {n} slots, from hashed sorted slots"),
            Throughput::Elements(n as u64),
            storage.slots,
            |slots| storage_root(slots),
            move |_, root| expect_eq("storage root", root, want),
        ));
    }
    Ok(all)
}
