//! What the terminal shows of a judgement: every benchmark whose verdict is
//! not "unchanged", one line each, then the headline.

use super::markdown::{percent, planted};
use super::{Judgement, Report, Run};
use crate::judge::compare::decide::Statistic;
use crate::judge::compare::{calibrate, Rule, Verdict};
use crate::judge::iai::Status;

/// The lines for a person at a terminal (no trailing newline).
pub struct Terminal;

impl Report for Terminal {
    fn render(&self, j: &Judgement) -> String {
        let mut lines: Vec<String> = j
            .comparisons
            .iter()
            .filter(|c| c.verdict != Verdict::Unchanged)
            .map(|c| {
                let change = c.ratio.map_or(String::new(), |r| format!(" {}", percent(r)));
                format!("{:<12} {}{change}", c.verdict.label(), c.id)
            })
            .collect();
        match &j.run {
            Run::Paired(outcome) => {
                if !outcome.plants.is_empty() {
                    lines.push(planted(&j.comparisons, &outcome.plants));
                }
                lines.push(format!(
                    "ethbench ab: {} ({:.0} s measuring, {:.0} s preparing)",
                    j.headline(),
                    outcome.measured_secs,
                    outcome.load_secs
                ));
            }
            Run::Baselines { base, new } => {
                lines.push(format!(
                    "ethbench compare {} vs {}: {}",
                    new.baselines.join(","),
                    base.baselines.join(","),
                    j.headline()
                ));
                if let Some((check, _)) = &j.counts {
                    lines.push(format!(
                        "instruction counts: {} rose, {} fell past their tolerance",
                        check.rose_count(),
                        check.count(Status::Fell)
                    ));
                }
                if j.comparisons.iter().any(|c| c.statistic == Some(Statistic::Samples)) {
                    lines.push(one_run_warning(&j.rule));
                }
            }
        }
        lines.join("\n")
    }
}

/// The one line a one-run comparison owes its reader: what a suspect is, the floor, and how to confirm.
fn one_run_warning(rule: &Rule) -> String {
    let per = if rule.floors.is_empty() { String::new() } else { format!(", {} prefix floors", rule.floors.len()) };
    let floor = if rule.calibrated.is_empty() {
        format!("the {:.0}% floor{per}", rule.floor * 100.0)
    } else {
        let median =
            calibrate::distribution(&rule.calibrated).iter().find(|(q, _)| *q == "median").map_or(0.0, |(_, f)| *f);
        format!(
            "its floor (calibrated per benchmark from A/A runs on this machine, {}, median {:.1}%; {:.0}% where not calibrated{per})",
            rule.calibrated_from,
            median * 100.0,
            rule.floor * 100.0
        )
    };
    format!(
        "One run per side knows nothing of drift between the runs: a change beyond {floor} is a suspect, not a regression. \
         Confirm with `ethbench compare --confirm` (a paired A/B of the baseline's commit and this tree on the suspects)."
    )
}
