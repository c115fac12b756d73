//! The history as Markdown (the `bench-history` branch's README): what moved,
//! the creep verdicts, skipped runs, then every benchmark's first and latest time.

use std::fmt::Write as _;

use super::trend::Trend;
use crate::measure::results::format_time;

pub fn markdown(trend: &Trend, machine: &str) -> String {
    let (Some(first), Some(last)) = (trend.runs.first(), trend.runs.last()) else {
        return "## ethbench history of main\n\nNo runs yet.\n".to_owned();
    };
    let skipped: Vec<_> = trend.runs.iter().filter(|r| r.skipped.is_some()).collect();
    let mut out = format!(
        "## ethbench history of main\n\n{} runs ({} measured, {} skipped), `{}` ({}) to `{}` ({}), latest on {machine}.\n\n",
        trend.runs.len(),
        trend.measured(),
        skipped.len(),
        first.short_commit(),
        first.date,
        last.short_commit(),
        last.date,
    );
    let creep = &trend.creep;
    if !creep.judged() {
        let _ = writeln!(
            out,
            "Creep check: needs {} measured runs (window {}, lag {}).\n",
            creep.window + creep.lag,
            creep.window,
            creep.lag
        );
    } else {
        let _ = write!(
            out,
            "Creep check (last {w} runs against the {w} ending {} runs earlier): {} of {} crept.",
            creep.lag,
            creep.crept().len(),
            creep.comparisons.len(),
            w = creep.window,
        );
        if let Some((before, after)) = &creep.toolchain_change {
            let _ = write!(out, " The compiler changed between the sides ({before} → {after}): not called creep.");
        }
        out.push_str("\n\n");
    }
    for r in &skipped {
        let _ = writeln!(
            out,
            "- skipped `{}` ({}): {}",
            r.short_commit(),
            r.date,
            r.skipped.as_deref().unwrap_or_default()
        );
    }
    for i in trend.toolchain_changes() {
        let _ = writeln!(out, "- toolchain at `{}`: {}", trend.runs[i].short_commit(), trend.runs[i].rustc);
    }
    let movers = trend.movers();
    let _ = writeln!(
        out,
        "\n### Moved most\n\nThe last {w} runs against each benchmark's first {w}, by the comparator's rule: {} of {} moved beyond ±{:.1}% and beyond their own noise.\n",
        movers.len(),
        trend.series.len(),
        trend.floor * 100.0,
        w = creep.window.max(1),
    );
    if !movers.is_empty() {
        let _ = writeln!(out, "| benchmark | change | first | latest | creep |\n|---|---:|---:|---:|---|");
        for s in movers.iter().take(15) {
            let _ = writeln!(
                out,
                "| `{}` | {:+.1}% | {} | {} | {} |",
                s.id,
                s.moved * 100.0,
                s.first().map_or("–".to_owned(), |p| format_time(p.median_ns)),
                s.latest().map_or("–".to_owned(), |p| format_time(p.median_ns)),
                verdict(trend, &s.id)
            );
        }
    }
    let _ = writeln!(
        out,
        "\n### Every benchmark\n\n| benchmark | first | latest | change | creep |\n|---|---:|---:|---:|---|"
    );
    for s in &trend.series {
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {:+.1}% | {} |",
            s.id,
            s.first().map_or("–".to_owned(), |p| format_time(p.median_ns)),
            s.latest().map_or("–".to_owned(), |p| format_time(p.median_ns)),
            s.moved * 100.0,
            verdict(trend, &s.id)
        );
    }
    out
}

fn verdict(trend: &Trend, id: &str) -> String {
    match trend.creep.describe(id) {
        None => "–".to_owned(),
        Some((true, words)) => format!("**{words}**"),
        Some((false, words)) => words,
    }
}
