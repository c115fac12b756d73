//! Writing a comparison: the pull-request comment (Markdown), JSON for
//! machines, Bencher Metric Format for continuous-benchmarking services, and
//! a short summary for the terminal.

use serde_json::json;
use std::fmt::Write as _;

use super::decide::Statistic;
use super::{Comparison, Rule, Side, Summary, Verdict};
use crate::measure::results::format_time;

/// The hidden marker CI looks for to update its one comment instead of adding another.
pub const COMMENT_MARKER: &str = "<!-- ethbench:comparison -->";

fn percent(ratio: f64) -> String {
    format!("{:+.1}%", (ratio - 1.0) * 100.0)
}

fn time(ns: Option<f64>) -> String {
    ns.map_or("–".to_owned(), format_time)
}

/// What the comment says about how the two sides were measured, and on what.
pub struct Header {
    /// One or two sentences: how the sides were measured and paired.
    pub method: String,
    pub sides: Vec<SideRow>,
}

/// One side, as the comment's closing table shows it.
pub struct SideRow {
    pub label: String,
    /// What was measured: baselines, or a build.
    pub source: String,
    pub date: String,
    pub machine: String,
}

impl Header {
    /// The header of a comparison of Criterion baselines.
    pub fn of_baselines(base: &Side, new: &Side, comparisons: &[Comparison]) -> Self {
        let row = |s: &Side| SideRow {
            label: s.label.clone(),
            source: match &s.machine {
                Some(m) => format!("baselines `{}`: {}", s.baselines.join("`, `"), m.provenance()),
                None => format!("baselines `{}`", s.baselines.join("`, `")),
            },
            date: s.machine.as_ref().map_or("–".to_owned(), |m| m.date.clone()),
            machine: s.machine.as_ref().map_or("not recorded".to_owned(), |m| m.summary()),
        };
        let mut method = statistics(comparisons);
        if comparisons.iter().any(|c| c.statistic == Some(Statistic::Samples)) {
            method.push_str(
                " One run per side knows nothing of drift between the runs: a change beyond the floor is a suspect, \
                 not a regression, and does not fail the exit status (unless `--gate`). Confirm suspects with \
                 `ethbench compare --confirm`, a paired A/B of the baseline's commit and this tree.",
            );
        } else if !comparisons.iter().any(|c| matches!(c.statistic, Some(Statistic::PairedRounds { .. }))) {
            method.push_str(
                " The sides were not measured in interleaved rounds, so the interval knows nothing of drift between \
                 them, which on shared machines can exceed the floor. Gate merges on a paired run (`ci/compare.sh`, \
                 `ethbench ab`).",
            );
        }
        Header { method, sides: vec![row(base), row(new)] }
    }
}

fn resolution(c: &Comparison) -> String {
    c.resolution().map_or("–".to_owned(), |r| format!("±{:.1}%", r * 100.0))
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
        Verdict::Suspect if c.ratio.is_some_and(|r| r > 1.0) => "suspect (slower)",
        Verdict::Suspect => "suspect (faster)",
        v => v.label(),
    };
    format!(
        "| `{}` | {} | {} | {change} | {interval} | {} | ±{:.1}% | {verdict} |",
        c.id,
        time(c.base_ns),
        time(c.new_ns),
        resolution(c),
        c.floor * 100.0
    )
}

const TABLE_HEAD: &str =
    "| benchmark | base | new | change | interval | resolution | floor | verdict |\n|---|---|---|---|---|---|---|---|";

/// The verdict in one line. Instruction counts that rose count as
/// regressions, as the exit status does, and the line says which kind.
pub fn headline(s: &Summary, counts_rose: usize) -> String {
    let regressed = match counts_rose {
        0 => format!("{} regressed", s.regressed),
        n => format!("{} regressed ({} in time, {n} in instruction counts)", s.regressed + n, s.regressed),
    };
    let suspects = match s.suspects {
        0 => String::new(),
        n => format!(
            ", {n} suspect{} ({} slower, {} faster; one run per side cannot confirm them)",
            if n == 1 { "" } else { "s" },
            s.suspects_slower,
            n - s.suspects_slower
        ),
    };
    format!(
        "{regressed}, {} improved{suspects}, {} unchanged, {} new, {} missing{}",
        s.improved,
        s.unchanged,
        s.new,
        s.missing,
        if s.incomparable > 0 { format!(", {} incomparable", s.incomparable) } else { String::new() }
    )
}

/// The one line a one-run comparison owes its reader: what a suspect is, the floor, and how to confirm.
pub fn one_run_warning(rule: &Rule) -> String {
    let per = if rule.floors.is_empty() { String::new() } else { format!(", {} prefix floors", rule.floors.len()) };
    let floor = if rule.calibrated.is_empty() {
        format!("the {:.0}% floor{per}", rule.floor * 100.0)
    } else {
        let median = crate::judge::compare::calibrate::distribution(&rule.calibrated)
            .iter()
            .find(|(q, _)| *q == "median")
            .map_or(0.0, |(_, f)| *f);
        format!(
            "its floor (calibrated per benchmark from A/A runs on this machine, {}, median {:.1}%; {:.0}% where not calibrated{per})",
            crate::judge::compare::calibrate::FILE,
            median * 100.0,
            rule.floor * 100.0
        )
    };
    format!(
        "One run per side knows nothing of drift between the runs: a change beyond {floor} is a suspect, not a regression. \
         Confirm with `ethbench compare --confirm` (a paired A/B of the baseline's commit and this tree on the suspects)."
    )
}

/// One sentence per statistic behind the verdicts, as `decide` reports it.
pub fn statistics(comparisons: &[Comparison]) -> String {
    let mut used: Vec<Statistic> = comparisons.iter().filter_map(|c| c.statistic).collect();
    used.sort_unstable();
    used.dedup_by_key(|s| std::mem::discriminant(s));
    let count = |kind: &Statistic| {
        comparisons
            .iter()
            .filter(|c| c.statistic.is_some_and(|s| std::mem::discriminant(&s) == std::mem::discriminant(kind)))
            .count()
    };
    let sentences: Vec<String> = used
        .iter()
        .map(|s| {
            let what = match s {
                Statistic::Samples => "the ratio of the median times per iteration of one run per side, bootstrapped over the samples".to_owned(),
                Statistic::UnpairedRounds { base, new } => format!(
                    "the ratio of the geometric means of the round medians ({base} rounds against {new}), bootstrapped over the rounds"
                ),
                Statistic::PairedRounds { rounds } => format!(
                    "the geometric mean of the per-round ratios of median times over {rounds} interleaved rounds, with the wider of a bootstrap over the rounds and Student's t"
                ),
                Statistic::PairedChunks { .. } => "per round, the ratio of mean time per run (so a cost that recurs once in N runs counts); across rounds the Hodges–Lehmann estimate with the Wilcoxon signed-rank interval from five rounds on, else the wider of a two-stage bootstrap and Student's t".to_owned(),
            };
            let n = count(s);
            let of = if used.len() > 1 { format!(" ({n} benchmarks)") } else { String::new() };
            format!("{what}{of}")
        })
        .collect();
    if sentences.is_empty() {
        return "Nothing was judged.".to_owned();
    }
    format!("Statistic: {}.", sentences.join("; "))
}

/// The comment's instruction-count section: the head's counts against the
/// base's committed baseline, under the count rule (rise past tolerance).
pub fn instruction_counts(check: &crate::judge::iai::Check, baseline: &crate::judge::iai::Baseline) -> String {
    use crate::judge::iai::Status;
    let unchanged = check.count(Status::Same) + check.count(Status::Within);
    format!(
        "### Instruction counts: {} rose, {} fell, {unchanged} unchanged, {} new, {} not run\n\n\
         Against `{}` of the base (taken {}); a count has changed when it moved past its tolerance ({:.1}% unless set per twin from its measured spread).\n\n\
         <details><summary>All {} instruction counts</summary>\n\n{}\n</details>\n",
        check.count(Status::Rose),
        check.count(Status::Fell),
        check.count(Status::New),
        check.count(Status::NotRun),
        crate::judge::iai::BASELINE,
        baseline.date,
        baseline.tolerance * 100.0,
        check.rows.len(),
        crate::judge::iai::render(check, baseline)
    )
}

/// The pull-request comment, with the instruction counts when they were taken.
pub fn markdown(
    comparisons: &[Comparison],
    header: &Header,
    rule: &Rule,
    counts: Option<(&crate::judge::iai::Check, &crate::judge::iai::Baseline)>,
) -> String {
    let summary = super::summarize(comparisons);
    let counts_rose = counts.map_or(0, |(check, _)| check.rose_count());
    let mut out = String::new();
    let _ = writeln!(out, "{COMMENT_MARKER}");
    let _ = writeln!(out, "### ethbench: {}\n", headline(&summary, counts_rose));
    let mut floors: String = rule.floors.iter().map(|(p, f)| format!(", `{p}` ±{:.1}%", f * 100.0)).collect();
    if !rule.calibrated.is_empty() {
        floors.push_str(&format!(
            ", or the benchmark's own floor calibrated from A/A runs on this machine ({}, shown per row)",
            super::calibrate::FILE
        ));
    }
    let _ = writeln!(
        out,
        "A change counts only when the whole {:.0}% interval of the new/base ratio lies beyond ±{:.1}%{floors}; \
         the resolution column is half the interval's width, the smallest change that row could have seen. {}\n",
        rule.confidence * 100.0,
        rule.floor * 100.0,
        header.method
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

    let mut changed: Vec<&Comparison> = comparisons
        .iter()
        .filter(|c| matches!(c.verdict, Verdict::Regressed | Verdict::Improved | Verdict::Suspect))
        .collect();
    changed.sort_by(|a, b| size(b).total_cmp(&size(a)));
    if changed.is_empty() && counts_rose > 0 {
        let _ = writeln!(
            out,
            "No confirmed change in time; {counts_rose} instruction counts rose past their tolerance (below).\n"
        );
    } else if changed.is_empty() {
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

    let _ = writeln!(out, "| side | measured | date | machine, toolchain, allocator, keccak |\n|---|---|---|---|");
    for side in &header.sides {
        let _ = writeln!(out, "| {} | {} | {} | {} |", side.label, side.source, side.date, side.machine);
    }
    if let Some((check, baseline)) = counts {
        out.push('\n');
        out.push_str(&instruction_counts(check, baseline));
    }
    out
}

pub fn json(comparisons: &[Comparison], header: &Header, rule: &Rule) -> serde_json::Value {
    let sides: Vec<serde_json::Value> = header
        .sides
        .iter()
        .map(|s| json!({ "label": s.label, "source": s.source, "date": s.date, "machine": s.machine }))
        .collect();
    json!({
        "rule": {

            "floor": rule.floor,
            "floors": rule.floors.iter().map(|(p, f)| json!({ "prefix": p, "floor": f })).collect::<Vec<_>>(),
            "calibrated_floors": rule.calibrated.len(),
            "confidence": rule.confidence,
            "resamples": rule.resamples,
            "method": header.method,
        },
        "sides": sides,
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

/// Bencher Metric Format from a paired run: each benchmark's mean time per run on the head side, ns.
pub fn bencher_metric_format_paired(comparisons: &[Comparison]) -> serde_json::Value {
    let mut out = serde_json::Map::new();
    for c in comparisons {
        if let Some(ns) = c.new_ns {
            out.insert(c.id.clone(), json!({ "latency": { "value": ns } }));
        }
    }
    serde_json::Value::Object(out)
}
