//! The `ethbench` binary's commands, one module per kind of job. Every
//! command returns its exit status or a [`Failure`], and `main` exits in one
//! place; the library returns errors.

use std::fmt::Display;
use std::process::ExitCode;

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

/// One line that says what is wrong and what to do: `main` prints it after
/// `error: ` and exits with status 2. Any displayable error converts into it,
/// so `?` ends a command with its error's own sentence.
pub(crate) struct Failure(pub(crate) String);

impl<E: Display> From<E> for Failure {
    fn from(error: E) -> Self {
        Failure(error.to_string())
    }
}

/// How a command ends: its exit status, or a one-line failure.
pub(crate) type Ended = Result<ExitCode, Failure>;

/// End the command with this one-line failure.
pub(crate) fn fail<T>(message: impl Display) -> Result<T, Failure> {
    Err(Failure(message.to_string()))
}

/// An exit status the judging commands chose (0, 1 regressed, 2 unusable).
pub(crate) fn status(code: i32) -> ExitCode {
    ExitCode::from(u8::try_from(code).unwrap_or(2))
}

/// Where the lines for people go: stderr when stdout carries data (`--json`, a report to `-`).
pub(crate) fn say(data_on_stdout: bool) -> impl Fn(String) {
    move |line: String| if data_on_stdout { eprintln!("{line}") } else { println!("{line}") }
}

/// `value` as pretty JSON on standard output: what `--json` prints.
pub(crate) fn print_json(value: &impl serde::Serialize) {
    println!("{}", serde_json::to_string_pretty(value).expect("JSON values serialize"));
}

/// This invocation as the command a results file names.
pub(crate) fn command_line() -> String {
    let args: Vec<String> = std::env::args().skip(1).collect();
    format!("cargo run --release -- {}", args.join(" "))
}

/// The chart's file name beside the results file `path`, for the Markdown to link.
pub(crate) fn chart_name(path: &std::path::Path) -> String {
    path.with_extension("svg").file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

/// A dated results file: the Markdown at `path`, its chart (`.svg`) and its
/// raw figures (`.json`) beside it.
pub(crate) fn write_results(
    path: &std::path::Path,
    markdown: &str,
    svg: &str,
    raw: &impl serde::Serialize,
) -> Result<(), Failure> {
    let json = serde_json::to_vec_pretty(raw).expect("results serialise");
    for (file, data) in [
        (path.with_extension("svg"), svg.as_bytes()),
        (path.to_owned(), markdown.as_bytes()),
        (path.with_extension("json"), &json[..]),
    ] {
        ethbench::measure::output::write_file(&file, data)?;
    }
    eprintln!("wrote {}, its .svg and its .json", path.display());
    Ok(())
}
