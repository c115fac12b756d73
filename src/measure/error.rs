use std::fmt;
use std::path::PathBuf;

/// The command that rewrites `fixtures/` from the fixed seed: the advice of
/// every fixture error (defined here so that errors depend on nothing).
pub const REGENERATE: &str = "cargo run --release --bin gen-fixtures";

/// Everything that can go wrong before or after a measurement. Each variant
/// renders as one line that says what is wrong and what to do about it.
#[derive(Debug)]
pub enum Error {
    /// A fixture file is missing, unreadable, or differs from the manifest.
    Fixture { file: String, problem: String },
    /// `fixtures/manifest.json` itself is missing or malformed.
    Manifest { path: PathBuf, problem: String },
    /// A workload produced a result that does not match the fixture's expected value.
    Verify { workload: String, problem: String },
    /// Building a workload's input failed (the cause says what to do).
    Prepare { workload: String, problem: String },
    /// An input file of a tool (a baseline, a summary) is missing or malformed.
    Input { path: PathBuf, problem: String },
    /// Writing an output file failed.
    Output { path: PathBuf, problem: String },
    /// A paired A/B worker could not start, or failed mid-run.
    Worker { side: String, problem: String },
}

impl Error {
    pub fn fixture(file: &str, problem: impl Into<String>) -> Self {
        Error::Fixture { file: file.to_owned(), problem: problem.into() }
    }

    pub fn verify(workload: &str, problem: impl Into<String>) -> Self {
        Error::Verify { workload: workload.to_owned(), problem: problem.into() }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Fixture { file, problem } => write!(
                f,
                "fixture `{file}`: {problem}; restore it with `git checkout fixtures/` or regenerate with `{REGENERATE}`"
            ),
            Error::Manifest { path, problem } => write!(
                f,
                "fixture manifest {}: {problem}; restore it with `git checkout fixtures/` or regenerate with `{REGENERATE}`",
                path.display()
            ),
            Error::Verify { workload, problem } => write!(
                f,
                "workload `{workload}` produced a wrong result: {problem}; its numbers would be meaningless, so nothing was measured"
            ),
            Error::Prepare { workload, problem } => write!(f, "cannot prepare workload `{workload}`: {problem}"),
            Error::Input { path, problem } => write!(f, "{}: {problem}", path.display()),
            Error::Output { path, problem } => write!(
                f,
                "cannot write {}: {problem}; choose a writable path",
                path.display()
            ),
            Error::Worker { side, problem } => write!(f, "the {side} side's worker {problem}"),
        }
    }
}

impl std::error::Error for Error {}

/// Print `error` as one line on stderr and exit with status 2. Binaries call
/// this instead of unwrapping, so users see a sentence, not a backtrace.
pub fn exit_with(error: &dyn fmt::Display) -> ! {
    eprintln!("error: {error}");
    std::process::exit(2)
}
