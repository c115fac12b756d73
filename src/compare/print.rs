//! Writing a comparison: the pull-request comment (Markdown), JSON for
//! machines, Bencher Metric Format for continuous-benchmarking services, and
//! a short summary for the terminal.

use serde_json::json;
use std::fmt::Write as _;

use super::{Comparison, Rule, Side, Summary, Verdict};
use crate::results::format_time;

/// The hidden marker CI looks for to update its one comment instead of adding another.
pub const COMMENT_MARKER: &str = "<!-- ethbench:comparison -->";

fn percent(ratio: f64) -> String {
    format!("{:+.1}%", (ratio - 1.0) * 100.0)
}

fn time(ns: Option<f64>) -> String {
    ns.map_or("–".to_owned(), format_time)
}

fn row(c: &Comparison) -> String {
    let change = c.ratio.map_or("–".to_owned(), percent);
    let interval = match (c.low, c.high) {
        (Some(l), Some(h)) => format!("{} … {}", percent(l), percent(h)),
        _ => "–".to_owned(),
    };
    let verdict = match c.verdict {
        Verdict::Regressed => "**regressed**",
        Verdict::Improved => "**improved**",
        v => v.label(),
    };
    format!("| `{}` | {} | {} | {change} | {interval} | {verdict} |", c.id, time(c.base_ns), time(c.new_ns))
}

const TABLE_HEAD: &str = "| benchmark | base | new | change | 95% interval | verdict |\n|---|---|---|---|---|---|";

pub fn headline(s: &Summary) -> String {
    format!(
        "{} regressed, {} improved, {} unchanged, {} new, {} missing",
        s.regressed, s.improved, s.unchanged, s.new, s.missing
    )
}

fn method(base: &Side, new: &Side) -> String {
    if base.rounds.len() > 1 && base.rounds.len() == new.rounds.len() {
        format!(
            "{} interleaved rounds per side, paired by round; the interval is a bootstrap over the rounds, so it includes the drift between them.",
            base.rounds.len()
        )
    } else {
        "One run per side: the interval covers sampling noise within each run, not drift between the two runs, which on shared machines can exceed the floor. Gate merges on interleaved rounds (`ci/compare.sh`).".to_owned()
    }
}

/// The comment's instruction-count section: the head's counts against the
/// base's committed baseline, under the count rule (rise past tolerance).
pub fn instruction_counts(check: &crate::iai::Check, baseline: &crate::iai::Baseline) -> String {
    use crate::iai::Status;
    let unchanged = check.count(Status::Same) + check.count(Status::Within);
    format!(
        "### Instruction counts: {} rose, {} fell, {unchanged} unchanged, {} new, {} not run\n\n\
         Against `{}` of the base (taken {}); a count has changed when it moved past its tolerance ({:.0}% unless set per prefix).\n\n\
         <details><summary>All {} instruction counts</summary>\n\n{}\n</details>\n",
        check.count(Status::Rose),
        check.count(Status::Fell),
        check.count(Status::New),
        check.count(Status::NotRun),
        crate::iai::BASELINE,
        baseline.date,
        baseline.tolerance * 100.0,
        check.rows.len(),
        crate::iai::render(check, baseline)
    )
}

/// The pull-request comment.
pub fn markdown(comparisons: &[Comparison], base: &Side, new: &Side, rule: &Rule) -> String {
    let summary = super::summarize(comparisons);
    let mut out = String::new();
    let _ = writeln!(out, "{COMMENT_MARKER}");
    let _ = writeln!(out, "### ethbench: {}\n", headline(&summary));
    let floors: String = rule.floors.iter().map(|(p, f)| format!(", `{p}` ±{:.1}%", f * 100.0)).collect();
    let _ = writeln!(
        out,
        "A change counts only when the whole {:.0}% bootstrap interval of the new/base median time per iteration lies beyond ±{:.1}%{floors}. {}\n",
        rule.confidence * 100.0,
        rule.floor * 100.0,
        method(base, new)
    );

    let compared: Vec<&Comparison> = comparisons.iter().filter(|c| c.ratio.is_some()).collect();
    let size = |c: &Comparison| c.ratio.map_or(0.0, |r| r.ln().abs());
    if let Some(largest) = compared.iter().max_by(|a, b| size(a).total_cmp(&size(b))) {
        let width = |c: &Comparison| c.high.unwrap_or(1.0) / c.low.unwrap_or(1.0);
        let widest = compared.iter().max_by(|a, b| width(a).total_cmp(&width(b))).expect("not empty");
        let _ = writeln!(
            out,
            "Largest change: {} (`{}`). Widest interval: {} … {} (`{}`).\n",
            percent(largest.ratio.unwrap_or(1.0)),
            largest.id,
            percent(widest.low.unwrap_or(1.0)),
            percent(widest.high.unwrap_or(1.0)),
            widest.id
        );
    }

    let mut changed: Vec<&Comparison> =
        comparisons.iter().filter(|c| matches!(c.verdict, Verdict::Regressed | Verdict::Improved)).collect();
    changed.sort_by(|a, b| size(b).total_cmp(&size(a)));
    if changed.is_empty() {
        let _ = writeln!(out, "No confirmed regressions or improvements.\n");
    } else {
        let _ = writeln!(out, "{TABLE_HEAD}");
        for c in &changed {
            let _ = writeln!(out, "{}", row(c));
        }
        let _ = writeln!(out);
    }

    let _ = writeln!(out, "<details><summary>All {} benchmarks</summary>\n", comparisons.len());
    let _ = writeln!(out, "{TABLE_HEAD}");
    for c in comparisons {
        let _ = writeln!(out, "{}", row(c));
    }
    let _ = writeln!(out, "\n</details>\n");

    let machine = |s: &Side| s.machine.as_ref().map_or("not recorded".to_owned(), |m| m.summary());
    let date = |s: &Side| s.machine.as_ref().map_or("–".to_owned(), |m| m.date.clone());
    let _ = writeln!(out, "| side | baselines | measured | machine, toolchain, allocator |\n|---|---|---|---|");
    for side in [base, new] {
        let _ = writeln!(
            out,
            "| {} | `{}` | {} | {} |",
            side.label,
            side.baselines.join("`, `"),
            date(side),
            machine(side)
        );
    }
    out
}

pub fn json(comparisons: &[Comparison], base: &Side, new: &Side, rule: &Rule) -> serde_json::Value {
    let side = |s: &Side| json!({ "baselines": s.baselines, "rounds": s.rounds.len(), "machine": s.machine });
    json!({
        "rule": {
            "statistic": "median time per iteration",
            "floor": rule.floor,
            "floors": rule.floors.iter().map(|(p, f)| json!({ "prefix": p, "floor": f })).collect::<Vec<_>>(),
            "confidence": rule.confidence,
            "resamples": rule.resamples,
            "method": method(base, new),
        },
        "base": side(base),
        "new": side(new),
        "summary": super::summarize(comparisons),
        "benchmarks": comparisons,
    })
}

/// Bencher Metric Format for the new side: `{ id: { "latency": { value, lower_value, upper_value } } }`, ns.
pub fn bencher_metric_format(new: &Side) -> serde_json::Value {
    let mut out = serde_json::Map::new();
    if let Some(first) = new.rounds.first() {
        for m in first {
            let mut pooled: Vec<f64> = new
                .rounds
                .iter()
                .filter_map(|r| r.iter().find(|x| x.id == m.id))
                .flat_map(|x| x.per_iteration.iter().copied())
                .collect();
            pooled.sort_unstable_by(f64::total_cmp);
            let at = |p: f64| pooled[((pooled.len() - 1) as f64 * p).round() as usize];
            out.insert(
                m.id.clone(),
                json!({ "latency": { "value": at(0.5), "lower_value": at(0.05), "upper_value": at(0.95) } }),
            );
        }
    }
    serde_json::Value::Object(out)
}
