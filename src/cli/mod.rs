//! The `ethbench` binary's commands, one module per kind of job. Only this
//! binary exits the process; the library returns errors.

pub mod args;
pub mod history;
pub mod iai;
pub mod pipeline;
pub mod run;
pub mod scale;
pub mod tables;
pub mod verdict;
