//! The `ethbench` binary's commands, one module per kind of job. Only this
//! binary exits the process; the library returns errors.

pub(crate) mod args;
pub(crate) mod history;
pub(crate) mod iai;
pub(crate) mod pipeline;
pub(crate) mod pricing;
pub(crate) mod run;
pub(crate) mod scale;
pub(crate) mod tables;
pub(crate) mod verdict;
pub(crate) mod worst;

/// This invocation as the command a results file names.
pub(crate) fn command_line() -> String {
    let args: Vec<String> = std::env::args().skip(1).collect();
    format!("cargo run --release -- {}", args.join(" "))
}
