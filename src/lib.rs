//! ethbench: workloads for the hot paths of an Ethereum execution client.
//!
//! Every benchmark body lives here, not in `benches/`: a [`Workload`] owns its
//! prepared input, the operation that is timed, and a `verify` that checks the
//! operation's result against the fixture's expected value. Criterion benches,
//! the tests and any other runner all go through the same [`Workload`], so a
//! benchmark cannot time something different from what the tests check.

pub mod alloc;
pub mod bench;
pub mod compare;
pub mod db;
pub mod error;
pub mod fixtures;
pub mod gen;
pub mod machine;
pub mod output;
pub mod recovery;
pub mod results;
pub mod rlp;
pub mod trie;
pub mod workload;

pub use error::Error;
pub use fixtures::Fixtures;
pub use workload::{Throughput, Workload};

/// Every workload of every group, in registration order.
pub fn all_workloads(fx: &Fixtures) -> Result<Vec<Box<dyn Workload>>, Error> {
    let mut all = rlp::workloads(fx)?;
    all.extend(trie::workloads(fx)?);
    all.extend(recovery::workloads(fx)?);
    all.extend(db::workloads(fx)?);
    Ok(all)
}
