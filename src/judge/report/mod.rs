//! The one report layer of the judging commands (`ethbench compare`,
//! `ethbench ab`). A [`Judgement`] is built once from a comparison (its
//! summary, header and instruction counts with it), and every output is a
//! [`Report`] that renders it: the pull-request comment ([`Markdown`]),
//! JSON for machines ([`Json`]), Bencher Metric Format ([`Bmf`]) and the
//! lines on the terminal ([`Terminal`]).

mod header;
mod json;
mod markdown;
mod terminal;

pub use header::{Header, SideRow};
pub use json::{Bmf, Json};
pub use markdown::{Markdown, COMMENT_MARKER};
pub use terminal::Terminal;

use crate::judge::ab::Outcome;
use crate::judge::compare::{summarize, Comparison, Rule, Side, Summary};
use crate::judge::iai::{Baseline, Check};

/// The head's instruction counts checked against the base's committed ones, with those.
pub type CheckedCounts = (Check, Baseline);

/// One output of a judgement.
pub trait Report {
    fn render(&self, judgement: &Judgement) -> String;
}

/// What was compared, for what only one kind of run has.
pub enum Run {
    /// Two sides of saved Criterion baselines.
    Baselines { base: Box<Side>, new: Box<Side> },
    /// A paired A/B of two builds.
    Paired(Box<Outcome>),
}

/// A comparison with everything its reports say, built once.
pub struct Judgement {
    pub comparisons: Vec<Comparison>,
    pub summary: Summary,
    pub header: Header,
    pub rule: Rule,
    /// The head's instruction counts checked against the base's, when taken.
    pub counts: Option<CheckedCounts>,
    pub run: Run,
}

impl Judgement {
    /// A comparison of saved baselines.
    pub fn of_baselines(
        base: Side,
        new: Side,
        comparisons: Vec<Comparison>,
        rule: Rule,
        counts: Option<CheckedCounts>,
    ) -> Self {
        let header = Header::of_baselines(&base, &new, &comparisons);
        Self::new(comparisons, header, rule, counts, Run::Baselines { base: Box::new(base), new: Box::new(new) })
    }

    /// A paired A/B.
    pub fn of_paired(mut outcome: Outcome, rule: Rule, counts: Option<CheckedCounts>) -> Self {
        let header = Header::of_paired(&outcome);
        let comparisons = std::mem::take(&mut outcome.comparisons);
        Self::new(comparisons, header, rule, counts, Run::Paired(Box::new(outcome)))
    }

    pub fn new(
        comparisons: Vec<Comparison>,
        header: Header,
        rule: Rule,
        counts: Option<CheckedCounts>,
        run: Run,
    ) -> Self {
        let summary = summarize(&comparisons);
        Self { comparisons, summary, header, rule, counts, run }
    }

    /// Instruction counts that rose past their tolerance.
    pub fn counts_rose(&self) -> usize {
        self.counts.as_ref().map_or(0, |(check, _)| check.rose_count())
    }

    /// The verdict in one line. Instruction counts that rose count as
    /// regressions, as the exit status does, and the line says which kind.
    pub fn headline(&self) -> String {
        let s = &self.summary;
        let regressed = match self.counts_rose() {
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
}
