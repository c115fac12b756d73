//! What a report says about how the two sides were measured, and on what.

use crate::judge::ab::Outcome;
use crate::judge::compare::decide::Statistic;
use crate::judge::compare::{Comparison, Side};
use crate::measure::machine::Machine;

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

    /// The header of a paired run.
    pub fn of_paired(outcome: &Outcome) -> Self {
        let pairs: Vec<usize> = outcome.comparisons.iter().filter_map(|c| c.pairs).collect();
        let (fewest, most) = (pairs.iter().min().copied().unwrap_or(0), pairs.iter().max().copied().unwrap_or(0));
        let method = format!(
            "Paired A/B: in rounds, each with a fresh pair of processes (one per build, on one core), timing alternate \
             chunks of about 20 ms of the same workload in random order, {fewest}–{most} pairs per benchmark (more where \
             the verdict stayed open). {} Each benchmark is looked at after every round from round {}: it stops as changed \
             when its interval clears the floor, and as unchanged when its {:.0}% interval lies inside it. Measured for \
             {:.0} s after {:.0} s of preparation.",
            statistics(&outcome.comparisons),
            outcome.min_rounds,
            outcome.settle * 100.0,
            outcome.measured_secs,
            outcome.load_secs
        );
        let sides = outcome
            .sides
            .iter()
            .map(|s| SideRow {
                label: s.label.clone(),
                source: format!("`{}` ({})", s.binary.display(), s.hello),
                date: outcome.machine.date.clone(),
                machine: side_machine(&outcome.machine, &s.hello).summary(),
            })
            .collect();
        Header { method, sides }
    }
}

/// One sentence per statistic behind the verdicts, as `decide` reports it.
pub(crate) fn statistics(comparisons: &[Comparison]) -> String {
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

/// The machine as one side ran on it: the driver's, with the allocator and
/// keccak backend the side's worker named in its greeting (they are what an
/// A/B of builds varies, and the driver is only the base's build).
fn side_machine(driver: &Machine, hello: &str) -> Machine {
    let field = |name: &str| hello.split_whitespace().find_map(|w| w.strip_prefix(name)?.strip_prefix('='));
    let mut machine = driver.clone();
    if let Some(allocator) = field("allocator") {
        machine.allocator = allocator.replace('_', " ");
    }
    if let Some(keccak) = field("keccak") {
        machine.keccak = keccak.to_owned();
    }
    machine
}

#[cfg(test)]
mod tests {
    use crate::measure::machine::Machine;

    #[test]
    fn each_side_shows_the_allocator_and_keccak_its_worker_named() {
        let driver = Machine::current();
        let side =
            super::side_machine(&driver, "ethbench-ab 1 allocator=dhat_(heap_profiling) keccak=keccak-asm plant=no");
        assert_eq!((side.allocator.as_str(), side.keccak.as_str()), ("dhat (heap profiling)", "keccak-asm"));
        assert_eq!(super::side_machine(&driver, "ethbench-ab 1 plant=no"), driver, "an older worker names neither");
    }
}
