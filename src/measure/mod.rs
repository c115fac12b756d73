//! The bottom layer: what every measurement is made of. The [`workload::Workload`]
//! trait and its one timing loop, ids, errors, statistics, reading Criterion's
//! output, the machine a figure was taken on, the allocator and keccak
//! switches, heap figures and flamegraphs, valgrind's client requests, progress, file output and the charts' colours. It
//! imports nothing else of the crate.

pub mod alloc;
pub mod callgrind;
pub mod chart;
pub mod error;
pub mod heap;
pub mod id;
pub mod keccak_backend;
pub mod machine;
pub mod output;
pub mod profile;
pub mod progress;
pub mod results;
pub mod stats;
pub mod workload;
