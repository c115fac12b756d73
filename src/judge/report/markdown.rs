//! The pull-request comment: the headline, the changed rows, every row,
//! the sides, and the instruction counts and planted changes when there are.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::{Judgement, Report, Run};
use crate::judge::compare::{Comparison, Verdict};
use crate::judge::iai::{self, Baseline, Check, Status};
use crate::measure::results::format_time;

/// The hidden marker CI looks for to update its one comment instead of adding another.
pub const COMMENT_MARKER: &str = "<!-- ethbench:comparison -->";

pub(super) fn percent(ratio: f64) -> String {
    format!("{:+.1}%", (ratio - 1.0) * 100.0)
}

fn time(ns: Option<f64>) -> String {
    ns.map_or("–".to_owned(), format_time)
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

/// The comment's instruction-count section: the head's counts against the
/// base's committed baseline, under the count rule (rise past tolerance).
fn instruction_counts(check: &Check, baseline: &Baseline) -> String {
    let unchanged = check.count(Status::Same) + check.count(Status::Within);
    format!(
        "### Instruction counts: {} rose, {} fell, {unchanged} unchanged, {} new, {} not run\n\n\
         Against `{}` of the base (taken {}); a count has changed when it moved past its tolerance ({:.1}% unless set per twin from its measured spread).\n\n\
         <details><summary>All {} instruction counts</summary>\n\n{}\n</details>\n",
        check.count(Status::Rose),
        check.count(Status::Fell),
        check.count(Status::New),
        check.count(Status::NotRun),
        iai::BASELINE,
        baseline.date,
        baseline.tolerance * 100.0,
        check.rows.len(),
        iai::render(check, baseline)
    )
}

/// The pull-request comment, with the instruction counts when they were
/// taken and the planted changes' detection when there were any.
pub struct Markdown;

impl Report for Markdown {
    fn render(&self, j: &Judgement) -> String {
        let (comparisons, header, rule) = (&j.comparisons, &j.header, &j.rule);
        let counts_rose = j.counts_rose();
        let mut out = String::new();
        let _ = writeln!(out, "{COMMENT_MARKER}");
        let _ = writeln!(out, "### ethbench: {}\n", j.headline());
        // A counting job (`ethbench ab --counts-only`) timed nothing: no time verdict to explain or list.
        let counts_only = comparisons.is_empty() && j.counts.is_some();
        let size = |c: &Comparison| c.ratio.map_or(0.0, |r| r.ln().abs());
        if counts_only {
            let _ = writeln!(out, "Instruction counts only: this run timed nothing.\n");
        } else {
            let prefixes: String = rule.floors.iter().map(|(p, f)| format!(", `{p}` ±{:.1}%", f * 100.0)).collect();
            let floor = if rule.calibrated.is_empty() {
                format!("±{:.1}%{prefixes}", rule.floor * 100.0)
            } else {
                format!(
                    "the benchmark's own floor, calibrated on this machine from runs in which no workload changed \
                     ({}, shown per row; ±{:.1}% where it names none{prefixes})",
                    rule.calibrated_from,
                    rule.floor * 100.0
                )
            };
            let _ = writeln!(
                out,
                "A change counts only when the whole {:.0}% interval of the new/base ratio lies beyond {floor}; \
             the resolution column is half the interval's width, the smallest change that row could have seen. {}\n",
                rule.confidence * 100.0,
                header.method
            );

            let compared: Vec<&Comparison> = comparisons.iter().filter(|c| c.ratio.is_some()).collect();
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

        if !counts_only {
            let _ = writeln!(out, "<details><summary>All {} benchmarks</summary>\n", comparisons.len());
            let _ = writeln!(out, "{TABLE_HEAD}");
            for c in comparisons {
                let _ = writeln!(out, "{}", row(c));
            }
            let _ = writeln!(out, "\n</details>\n");
        }

        let _ = writeln!(out, "| side | measured | date | machine, toolchain, allocator, keccak |\n|---|---|---|---|");
        for side in &header.sides {
            let _ = writeln!(out, "| {} | {} | {} | {} |", side.label, side.source, side.date, side.machine);
        }
        if let Some((check, baseline)) = &j.counts {
            out.push('\n');
            out.push_str(&instruction_counts(check, baseline));
        }
        if let Run::Paired(outcome) = &j.run {
            if !outcome.plants.is_empty() {
                out.push('\n');
                out.push_str(&planted(comparisons, &outcome.plants));
            }
        }
        out
    }
}

/// Detection per planted change and false alarms among the unplanted, as Markdown.
pub(super) fn planted(comparisons: &[Comparison], plants: &BTreeMap<String, String>) -> String {
    let mut by_plant: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let (mut clean, mut alarms) = (0, Vec::new());
    for c in comparisons.iter().filter(|c| c.ratio.is_some()) {
        match plants.get(&c.id) {
            Some(plant) => {
                let entry = by_plant.entry(plant).or_default();
                entry.0 += 1;
                entry.1 += usize::from(c.verdict == Verdict::Regressed);
            }
            None => {
                clean += 1;
                if c.verdict != Verdict::Unchanged {
                    alarms.push(format!("`{}` {}", c.id, c.verdict.label()));
                }
            }
        }
    }
    let mut out = String::from(
        "### Planted changes\n\n| plant (head side) | benchmarks | caught | rate |\n|---|---:|---:|---:|\n",
    );
    for (plant, (n, caught)) in &by_plant {
        let _ = writeln!(out, "| `{plant}` | {n} | {caught} | {:.0}% |", 100.0 * *caught as f64 / *n as f64);
    }
    let _ = writeln!(
        out,
        "| none (false alarms) | {clean} | {} | {:.1}% |",
        alarms.len(),
        if clean == 0 { 0.0 } else { 100.0 * alarms.len() as f64 / clean as f64 }
    );
    if !alarms.is_empty() {
        let _ = writeln!(out, "\nFalse alarms: {}.", alarms.join(", "));
    }
    out
}
