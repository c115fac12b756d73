//! The workloads, one module per group, and the registry: [`GROUPS`] names
//! every group once, and the bench targets, the iai twins, the tests and
//! `ethbench` all find workloads through it. [`inputs`] (the user's own
//! bytecode, blocks and tests) and [`chain`] (a block's import, shared by the
//! pipeline and the blockchain tests) are no group of their own.

use crate::data::Fixtures;
use crate::measure::error::Error;
use crate::measure::id::Id;
use crate::measure::workload::{Select, Workload};

pub mod chain;
pub mod db;
pub mod evm;
pub mod inputs;
pub mod pipeline;
pub mod precompile;
pub mod recovery;
pub mod rlp;
pub mod scale;
pub mod timing_loop;
pub mod trie;

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
    ("harness", timing_loop::workloads),
];

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
    let Ok(parsed) = Id::parse(id) else { return Ok(None) };
    let Some((_, build)) = GROUPS.iter().find(|(name, _)| *name == parsed.group) else { return Ok(None) };
    Ok(build(fx, Select::prefix(id))?.into_iter().find(|w| w.id() == id))
}
