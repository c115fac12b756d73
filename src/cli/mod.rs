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

/// This invocation as the command a results file names.
pub fn command_line() -> String {
    let args: Vec<String> = std::env::args().skip(1).collect();
    format!("cargo run --release -- {}", args.join(" "))
}
