//! What a paired run writes: the comparator's comment, JSON and BMF, and,
//! when changes were planted, how many of them the verdict caught.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::Outcome;
use crate::judge::compare::print::{self, Header, SideRow};
use crate::judge::compare::{Rule, Verdict};

/// The comment header of a paired run.
pub fn header(outcome: &Outcome) -> Header {
    let pairs: Vec<usize> = outcome.comparisons.iter().filter_map(|c| c.pairs).collect();
    let (fewest, most) = (pairs.iter().min().copied().unwrap_or(0), pairs.iter().max().copied().unwrap_or(0));
    let method = format!(
        "Paired A/B: in rounds, each with a fresh pair of processes (one per build, on one core), timing alternate \
         chunks of about 20 ms of the same workload in random order, {fewest}–{most} pairs per benchmark (more where \
         the verdict stayed open). {} Each benchmark is looked at after every round from round {}: it stops as changed \
         when its interval clears the floor, and as unchanged when its {:.0}% interval lies inside it. Measured for \
         {:.0} s after {:.0} s of preparation.",
        print::statistics(&outcome.comparisons),
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

pub fn markdown(
    outcome: &Outcome,
    rule: &Rule,
    counts: Option<(&crate::judge::iai::Check, &crate::judge::iai::Baseline)>,
) -> String {
    let mut out = print::markdown(&outcome.comparisons, &header(outcome), rule, counts);
    if !outcome.plants.is_empty() {
        out.push('\n');
        out.push_str(&calibration(outcome));
    }
    out
}

pub fn json(outcome: &Outcome, rule: &Rule) -> serde_json::Value {
    let mut report = print::json(&outcome.comparisons, &header(outcome), rule);
    report["plants"] = serde_json::json!(outcome.plants);
    report["measured_secs"] = serde_json::json!(outcome.measured_secs);
    report["load_secs"] = serde_json::json!(outcome.load_secs);
    report["bench_secs"] = serde_json::json!(outcome.bench_secs);
    report["samples"] = serde_json::json!(outcome.samples);
    report
}

/// Detection per planted change and false alarms among the unplanted, as Markdown.
pub fn calibration(outcome: &Outcome) -> String {
    let mut by_plant: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let (mut clean, mut alarms) = (0, Vec::new());
    for c in outcome.comparisons.iter().filter(|c| c.ratio.is_some()) {
        match outcome.plants.get(&c.id) {
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

/// The machine as one side ran on it: the driver's, with the allocator and
/// keccak backend the side's worker named in its greeting (they are what an
/// A/B of builds varies, and the driver is only the base's build).
fn side_machine(driver: &crate::measure::machine::Machine, hello: &str) -> crate::measure::machine::Machine {
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
    #[test]
    fn each_side_shows_the_allocator_and_keccak_its_worker_named() {
        let driver = crate::measure::machine::Machine::current();
        let side =
            super::side_machine(&driver, "ethbench-ab 1 allocator=dhat_(heap_profiling) keccak=keccak-asm plant=no");
        assert_eq!((side.allocator.as_str(), side.keccak.as_str()), ("dhat (heap profiling)", "keccak-asm"));
        assert_eq!(super::side_machine(&driver, "ethbench-ab 1 plant=no"), driver, "an older worker names neither");
    }
}
