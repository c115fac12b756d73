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

/// The chart's file name beside the results file `path`, for the Markdown to link.
pub(crate) fn chart_name(path: &std::path::Path) -> String {
    path.with_extension("svg").file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

/// A dated results file: the Markdown at `path`, its chart (`.svg`) and its
/// raw figures (`.json`) beside it.
pub(crate) fn write_results(path: &std::path::Path, markdown: &str, svg: &str, raw: &impl serde::Serialize) {
    let json = serde_json::to_vec_pretty(raw).expect("results serialise");
    for (file, data) in [
        (path.with_extension("svg"), svg.as_bytes()),
        (path.to_owned(), markdown.as_bytes()),
        (path.with_extension("json"), &json[..]),
    ] {
        ethbench::measure::output::write_file(&file, data).unwrap_or_else(|e| ethbench::measure::error::exit_with(&e));
    }
    eprintln!("wrote {}, its .svg and its .json", path.display());
}
