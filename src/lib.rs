//! ethbench: workloads for the hot paths of an Ethereum execution client.
//!
//! Every benchmark body lives here, not in `benches/`: a [`Workload`] owns its
//! prepared input, the operation that is timed, and a `verify` that checks the
//! operation's result against the fixture's expected value. Criterion benches,
//! the tests and any other runner all go through the same [`Workload`], so a
//! benchmark cannot time something different from what the tests check.

pub mod ab;
pub mod alloc;
pub mod bench;
pub mod chain;
pub mod compare;
pub mod db;
pub mod error;
pub mod evm;
pub mod fixtures;
pub mod gen;
pub mod harness;
pub mod heap;
pub mod history;
pub mod iai;
pub mod id;
pub mod inputs;
pub mod keccak_backend;
pub mod machine;
pub mod mainnet;
pub mod output;
pub mod pipeline;
pub mod precompile;
pub mod pricing;
pub mod profile;
pub mod progress;
pub mod recovery;
pub mod results;
pub mod rlp;
pub mod scale;
mod stats;
pub mod trie;
pub mod workload;
pub mod worst;

pub use error::Error;
pub use fixtures::Fixtures;
pub use workload::{Select, Throughput, Workload};

/// Builds a group's workloads (those `Select` wants) from the fixtures.
pub type Builder = fn(&Fixtures, Select) -> Result<Vec<Box<dyn Workload>>, Error>;

/// Every group: its name (the first segment of its ids) and its builder.
pub const GROUPS: [(&str, Builder); 9] = [
    ("evm", evm::workloads),
    ("rlp", rlp::workloads),
    ("trie", trie::workloads),
    ("recovery", recovery::workloads),
    ("precompile", precompile::workloads),
    ("db", db::workloads),
    ("scale", scale::workloads),
    ("pipeline", pipeline::workloads),
    ("harness", harness::workloads),
];

/// The value of the longest prefix of `id` among `pairs`: per-benchmark
/// settings (floors, tolerances) keyed by id prefix.
pub fn longest_prefix<'a, V: Copy>(pairs: impl IntoIterator<Item = (&'a str, V)>, id: &str) -> Option<V> {
    pairs
        .into_iter()
        .filter(|(prefix, _)| id.starts_with(prefix))
        .max_by_key(|(prefix, _)| prefix.len())
        .map(|(_, v)| v)
}

/// Every workload of every group, in registration order.
pub fn all_workloads(fx: &Fixtures) -> Result<Vec<Box<dyn Workload>>, Error> {
    let mut all = Vec::new();
    for (_, build) in GROUPS {
        all.extend(build(fx, Select::ALL)?);
    }
    Ok(all)
}

/// The one workload named `id`, preparing nothing else its group has; `None` if no group has it.
pub fn workload(fx: &Fixtures, id: &str) -> Result<Option<Box<dyn Workload>>, Error> {
    let Ok(parsed) = id::Id::parse(id) else { return Ok(None) };
    let Some((_, build)) = GROUPS.iter().find(|(name, _)| *name == parsed.group) else { return Ok(None) };
    Ok(build(fx, Select::prefix(id))?.into_iter().find(|w| w.id() == id))
}
