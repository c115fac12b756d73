//! ethbench: workloads for the hot paths of an Ethereum execution client.
//!
//! Every benchmark body lives here, not in `benches/`: a [`Workload`] owns its
//! prepared input, the operation that is timed, and a `verify` that checks the
//! operation's result against the fixture's expected value. Criterion benches,
//! the tests and any other runner all go through the same [`Workload`], so a
//! benchmark cannot time something different from what the tests check.
//!
//! The crate is four layers, each importing only from the ones below it
//! (`ci/module-cycles.py` holds CI to that):
//!
//! | layer | what it holds |
//! |---|---|
//! | [`judge`] | runs and verdicts: the Criterion runner, the comparator, the paired A/B, main's history, instruction counts, the gas-price map and the worst-case search |
//! | [`groups`] | the workloads, one module per group, and the registry that names every group once |
//! | [`data`] | the checksummed fixtures, the real mainnet blocks, and the seed of everything generated |
//! | [`measure`] | the `Workload` trait and its timing loop, ids, statistics, Criterion's output, the machine, the allocator and keccak switches, profiles |
//!
//! The fixture generator is the binary `gen-fixtures` (`src/bin/gen_fixtures/`),
//! built on the groups' encoders and roots.

pub mod data;
pub mod groups;
pub mod judge;
pub mod measure;

pub use data::Fixtures;
pub use groups::{all_workloads, workload, Builder, GROUPS};
pub use measure::error::Error;
pub use measure::workload::{Select, Throughput, Workload};
