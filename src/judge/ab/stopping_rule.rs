//! Replaying stopping rules of the paired verdict on recorded A/A rounds
//! (`ethbench stopping-rule target/calibrate/aa-*.json`).
//!
//! Each benchmark's recorded per-round log ratios (head/base, ratio of chunk
//! means) from A/A runs are its noise. For each candidate rule every
//! benchmark is re-run many times by drawing rounds from its own noise,
//! shifted by a planted change (0: an A/A), and judged as the driver judges:
//! looked at after every round from the first look, settled as changed when
//! the verdict interval clears the floor and as unchanged when the settle
//! interval lies inside it. Resampling a few dozen rounds per benchmark
//! understates rare tails, so this ranks rules; a real calibration
//! (`scripts/calibrate.sh`) measures one.

use std::collections::BTreeMap;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha20Rng;

use super::driver::Options;
use crate::judge::compare::calibrate::PairedSamples;
use crate::judge::compare::decide::{is_open, round_log_ratios};
use crate::judge::compare::{judge, Rule, Verdict};
use crate::measure::stats::hodges_lehmann;

/// One candidate: first look, most rounds, the confidence a change must
/// clear, and the confidence that settles "no change".
#[derive(Debug, Clone)]
pub struct Candidate {
    pub name: String,
    pub first_look: usize,
    pub most: usize,
    pub verdict: f64,
    pub settle: f64,
}

/// The candidates compared when the rule was chosen, and the rule the driver uses now.
pub(crate) fn candidates() -> Vec<Candidate> {
    let now = Options::default();
    let c = |name: &str, first_look, verdict, settle| Candidate {
        name: name.to_owned(),
        first_look,
        most: now.max_rounds,
        verdict,
        settle,
    };
    vec![
        c("first look 6, 95% (the rule before 2026-11-27)", 6, 0.95, 0.95),
        c("first look 8, 95%", 8, 0.95, 0.95),
        c("the driver's rule now", now.min_rounds, now.rule.confidence, now.settle),
        c("first look 8, 99% for both", 8, 0.99, 0.99),
    ]
}

/// Planted changes and how many times each benchmark is replayed at each.
pub(crate) const PLANTS: [(f64, usize); 4] = [(0.0, 20), (0.02, 3), (0.05, 3), (0.10, 3)];

/// Each benchmark's per-round log ratios, from recorded rounds of (base, head) chunk means.
pub fn noise(samples: &PairedSamples) -> BTreeMap<String, Vec<f64>> {
    samples
        .iter()
        .map(|(bench, rounds)| (bench.clone(), round_log_ratios(rounds)))
        .filter(|(_, logs)| !logs.is_empty())
        .collect()
}

/// One replayed run of one benchmark: its verdict and the rounds it took.
pub(crate) fn replay(
    noise: &[f64],
    shift: f64,
    rule: &Candidate,
    floor: f64,
    rng: &mut ChaCha20Rng,
) -> (Verdict, usize) {
    let interval = |rounds: &[f64], confidence| {
        let (_, low, high) = hodges_lehmann(rounds, confidence);
        (low.exp(), high.exp())
    };
    let mut rounds = Vec::with_capacity(rule.most);
    for n in 1..=rule.most {
        rounds.push(noise[rng.random_range(0..noise.len())] + shift);
        if n >= rule.first_look {
            let verdict = interval(&rounds, rule.verdict);
            if !is_open(verdict, interval(&rounds, rule.settle), floor) {
                return (judge(verdict.0, verdict.1, floor), n);
            }
        }
    }
    let (low, high) = interval(&rounds, rule.verdict);
    (judge(low, high, floor), rule.most)
}

/// One line per candidate: false alarms at no change, and detection at each
/// planted change, each benchmark judged against its floor under `floors`.
pub fn report(noise: &BTreeMap<String, Vec<f64>>, floors: &Rule) -> Vec<String> {
    candidates()
        .iter()
        .map(|rule| {
            let mut rng = ChaCha20Rng::seed_from_u64(1);
            let cells: Vec<String> = PLANTS
                .iter()
                .map(|&(change, repeats)| {
                    let (mut hits, mut runs, mut rounds) = (0, 0, 0);
                    for _ in 0..repeats {
                        for (id, bench) in noise {
                            let floor = floors.floor_for(id);
                            let (verdict, n) = replay(bench, (1.0 + change).ln(), rule, floor, &mut rng);
                            runs += 1;
                            rounds += n;
                            hits += usize::from(if change == 0.0 {
                                verdict != Verdict::Unchanged
                            } else {
                                verdict == Verdict::Regressed
                            });
                        }
                    }
                    let label = if change == 0.0 {
                        "A/A false alarms".to_owned()
                    } else {
                        format!("+{:.0}% caught", change * 100.0)
                    };
                    format!("{label} {hits}/{runs} ({:.1} rounds)", rounds as f64 / runs.max(1) as f64)
                })
                .collect();
            format!("{}: {}", rule.name, cells.join("; "))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quiet_noise_never_alarms_and_a_large_change_is_always_caught() {
        // Rounds whose head/base ratio wanders by at most 0.3%: nothing near a 2% floor.
        let rounds: Vec<Vec<(f64, f64)>> =
            (0..30).map(|i| vec![(100.0, 100.0 + f64::from(i % 7) * 0.1 - 0.3); 4]).collect();
        let samples = BTreeMap::from([("a/b/c".to_owned(), rounds)]);
        let noise = noise(&samples);
        assert_eq!(noise["a/b/c"].len(), 30);
        let lines = report(&noise, &Rule { floor: 0.02, ..Rule::default() });
        assert_eq!(lines.len(), candidates().len());
        for line in &lines {
            assert!(line.contains("A/A false alarms 0/20"), "{line}");
            assert!(line.contains("+5% caught 3/3") && line.contains("+10% caught 3/3"), "{line}");
        }
    }
}
