//! The verdict: a bootstrap confidence interval of the new/base time ratio,
//! judged against a practical floor.
//!
//! The statistic is the median time per iteration. Medians, not means,
//! because the noise on shared machines is one-sided and bursty (a
//! preempted sample is 2× slow, never 2× fast), and a mean follows those
//! bursts where a median does not.
//!
//! With several interleaved rounds per side (A B A B …), round i of the base
//! and round i of the new side ran back to back, so machine drift hits both
//! alike. Each pair gives one ratio, and the bootstrap resamples pairs: the
//! interval then holds the round-to-round drift, which a bootstrap over the
//! pooled samples of all rounds would hide. With one run per side the
//! bootstrap resamples the samples themselves, and the interval knows
//! nothing of drift between the two runs; the floor is what guards that case.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha20Rng;
use serde::Serialize;

use std::collections::BTreeMap;

use crate::measure::results::Measurement;
use crate::measure::stats::{bootstrap_interval, hodges_lehmann, median, t_interval};

#[derive(Debug, Clone)]
pub struct Rule {
    /// A change smaller than this fraction is never reported (0.03 = 3%).
    pub floor: f64,
    /// Per-benchmark floors: the longest matching id prefix wins.
    pub floors: Vec<(String, f64)>,
    /// Floors calibrated per benchmark (by exact id) from A/A runs on this
    /// machine (`ethbench floors`); the prefixes above win over them.
    pub calibrated: BTreeMap<String, f64>,
    /// The file the calibrated floors came from, as the reports name it.
    pub calibrated_from: String,
    /// Two-sided confidence level of the interval.
    pub confidence: f64,
    pub resamples: usize,
}

impl Default for Rule {
    fn default() -> Self {
        Self {
            floor: 0.03,
            floors: Vec::new(),
            calibrated: BTreeMap::new(),
            calibrated_from: String::new(),
            confidence: 0.95,
            resamples: 10_000,
        }
    }
}

impl Rule {
    /// The floor of `id`: a `--floor-for` prefix's, else its calibrated one, else the rule's.
    pub fn floor_for(&self, id: &str) -> f64 {
        crate::measure::id::longest_prefix(self.floors.iter().map(|(p, f)| (p.as_str(), *f)), id)
            .or_else(|| self.calibrated.get(id).copied())
            .unwrap_or(self.floor)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Regressed,
    Improved,
    Unchanged,
    New,
    Missing,
    /// The two sides did different work per run (their throughput differs).
    Incomparable,
    /// One run per side, and a change beyond the floor: a run cannot tell a
    /// change from drift between runs, so this only says where to look
    /// (`ethbench compare --confirm` runs the paired A/B on it).
    Suspect,
}

impl Verdict {
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Regressed => "regressed",
            Verdict::Improved => "improved",
            Verdict::Unchanged => "no change",
            Verdict::New => "new",
            Verdict::Missing => "missing",
            Verdict::Incomparable => "incomparable",
            Verdict::Suspect => "suspect",
        }
    }
}

/// How a comparison's ratio and interval were computed. `decide` picks it
/// with the numbers, and `print` only names it, so the comment cannot
/// describe a statistic other than the one behind the verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Statistic {
    /// One run per side: the ratio of the sample medians, bootstrapped over samples.
    Samples,
    /// Several unpaired rounds per side: the ratio of the geometric means of
    /// the round medians, bootstrapped over rounds.
    UnpairedRounds { base: usize, new: usize },
    /// Interleaved rounds paired by position: the geometric mean of the
    /// per-round ratios of medians; the wider of a bootstrap over pairs and Student's t.
    PairedRounds { rounds: usize },
    /// The paired A/B runner: per round, the ratio of mean chunk times; across
    /// rounds Hodges–Lehmann with the Wilcoxon interval (`robust`, from five
    /// rounds on), else the wider of a two-stage bootstrap and Student's t.
    PairedChunks { rounds: usize, robust: bool },
}

impl Statistic {
    /// What [`ratio_interval`] computes for these numbers of rounds.
    pub(crate) fn of_rounds(base: usize, new: usize) -> Self {
        if base > 1 && base == new {
            Statistic::PairedRounds { rounds: base }
        } else if base > 1 && new > 1 {
            Statistic::UnpairedRounds { base, new }
        } else {
            Statistic::Samples
        }
    }

    /// What [`paired_ratio`] computes for this many rounds with pairs.
    pub(crate) fn of_paired_rounds(rounds: usize) -> Self {
        Statistic::PairedChunks { rounds, robust: rounds >= 5 }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    pub id: String,
    pub verdict: Verdict,
    /// Median time per iteration, ns (geometric mean of the round medians when there are rounds).
    pub base_ns: Option<f64>,
    pub new_ns: Option<f64>,
    /// new / base, and its confidence interval.
    pub ratio: Option<f64>,
    pub low: Option<f64>,
    pub high: Option<f64>,
    pub floor: f64,
    /// Paired chunks measured (paired A/B runs only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pairs: Option<usize>,
    /// How `ratio`, `low` and `high` were computed; `None` where nothing was judged.
    pub statistic: Option<Statistic>,
}

impl Comparison {
    /// The smallest change this comparison could have seen: half the
    /// width of its interval, as a fraction.
    pub(crate) fn resolution(&self) -> Option<f64> {
        Some((self.high? - self.low?) / 2.0)
    }
}

/// The verdict of an interval against a floor: a change is real only when
/// the whole interval lies beyond it.
pub fn judge(low: f64, high: f64, floor: f64) -> Verdict {
    if low > 1.0 + floor {
        Verdict::Regressed
    } else if high < 1.0 - floor {
        Verdict::Improved
    } else {
        Verdict::Unchanged
    }
}

/// Whether a paired run should measure a benchmark further after this
/// round. A benchmark is settled when its verdict interval (at the rule's
/// confidence) lies wholly beyond the floor, a change, or when its `settle`
/// interval (a lower confidence) lies wholly inside it, no change. A run looks
/// after every round, and each look at a 95% interval is another 5% chance of
/// a false alarm; so a change must clear the stricter verdict interval, while
/// stopping early on "no change" costs only sensitivity and may use the
/// looser one.
pub fn is_open(verdict: (f64, f64), settle: (f64, f64), floor: f64) -> bool {
    judge(verdict.0, verdict.1, floor) == Verdict::Unchanged && (settle.0 < 1.0 - floor || settle.1 > 1.0 + floor)
}

/// One round's ratio head/base: the ratio of its chunks' summed mean times,
/// so a cost that recurs once in N runs counts in full.
pub(crate) fn chunk_ratio(pairs: &[(f64, f64)]) -> f64 {
    let (b, h) = pairs.iter().fold((0.0, 0.0), |(b, h), p| (b + p.0, h + p.1));
    h / b
}

/// Each measured round's log ratio head/base ([`chunk_ratio`]), in order;
/// rounds with no pairs are skipped. What the verdict, the stopping-rule
/// replay and the paired floors all read a benchmark's rounds as.
pub(crate) fn round_log_ratios(rounds: &[Vec<(f64, f64)>]) -> Vec<f64> {
    rounds.iter().filter(|r| !r.is_empty()).map(|r| chunk_ratio(r).ln()).collect()
}

/// Ratio head/base with its interval, from paired chunks measured in
/// rounds: `rounds[r][i]` is (base, head), the mean time per run of two
/// chunks timed back to back in random order, tens of milliseconds apart,
/// and each round ran in its own pair of fresh processes.
///
/// Within a round the statistic is the ratio of mean times: chunk means keep
/// every run's cost, so a cost that recurs once in N runs counts in full,
/// and a burst of machine noise, which lasts far longer than a pair, hits
/// both chunks of a pair alike. Across rounds it is robust: each process
/// draws its own memory layout, which alone made one 100 ns workload 2.2×
/// slower in one process of an A/A here, so one round can be far off. From
/// five rounds on, the estimate is the Hodges–Lehmann estimator of the
/// per-round log ratios with the Wilcoxon signed-rank interval, which such a
/// round barely moves; with fewer, the wider of a two-stage bootstrap (rounds,
/// then pairs) and Student's t.
pub fn paired_ratio(rounds: &[Vec<(f64, f64)>], rule: &Rule, rng: &mut ChaCha20Rng) -> (f64, f64, f64) {
    let logs = round_log_ratios(rounds);
    let rounds: Vec<&Vec<(f64, f64)>> = rounds.iter().filter(|r| !r.is_empty()).collect();
    let n = logs.len();
    if n == 0 {
        return (f64::NAN, 0.0, f64::INFINITY);
    }
    if let Statistic::PairedChunks { robust: true, .. } = Statistic::of_paired_rounds(n) {
        let (point, low, high) = hodges_lehmann(&logs, rule.confidence);
        return (point.exp(), low.exp(), high.exp());
    }
    let mean_log = logs.iter().sum::<f64>() / n as f64;
    let point = mean_log.exp();
    let mut scratch = Vec::new();
    let (low, high) = bootstrap_interval(rule.resamples, rule.confidence, rng, |rng| {
        let mut sum = 0.0;
        for _ in 0..n {
            let round = rounds[rng.random_range(0..n)];
            scratch.clear();
            scratch.extend((0..round.len()).map(|_| round[rng.random_range(0..round.len())]));
            sum += chunk_ratio(&scratch).ln();
        }
        (sum / n as f64).exp()
    });
    // Student's t over rounds; with one round, over its pairs (and with one
    // pair, nothing is known).
    let spread: Vec<f64> = if n > 1 { logs } else { rounds[0].iter().map(|(b, h)| (h / b).ln()).collect() };
    let Some((_, half)) = t_interval(&spread, rule.confidence) else { return (point, 0.0, f64::INFINITY) };
    (point, low.min((mean_log - half).exp()), high.max((mean_log + half).exp()))
}

/// Ratio new/base with its bootstrap interval, from one benchmark's rounds
/// on each side (each round: its per-iteration sample times).
pub(crate) fn ratio_interval(base: &[&[f64]], new: &[&[f64]], rule: &Rule, rng: &mut ChaCha20Rng) -> (f64, f64, f64) {
    let round_medians = |rounds: &[&[f64]]| -> Vec<f64> { rounds.iter().map(|r| median(&mut r.to_vec())).collect() };
    let (resamples, confidence) = (rule.resamples, rule.confidence);
    match Statistic::of_rounds(base.len(), new.len()) {
        Statistic::PairedRounds { .. } => {
            // Paired rounds: geometric mean of per-round ratios, resampling pairs.
            let logs: Vec<f64> =
                round_medians(new).iter().zip(round_medians(base)).map(|(n, b)| (n / b).ln()).collect();
            let r = logs.len() as f64;
            let mean = logs.iter().sum::<f64>() / r;
            let (low, high) = bootstrap_interval(resamples, confidence, rng, |rng| {
                let sum: f64 = (0..logs.len()).map(|_| logs[rng.random_range(0..logs.len())]).sum();
                (sum / r).exp()
            });
            // With few rounds the bootstrap has few distinct values and its
            // interval is too narrow; Student's t on the log ratios knows how
            // little a handful of rounds says. Report the wider of the two.
            let (_, half) = t_interval(&logs, confidence).expect("paired rounds are two or more");
            (mean.exp(), low.min((mean - half).exp()), high.max((mean + half).exp()))
        }
        Statistic::UnpairedRounds { .. } => {
            // Unpaired rounds: ratio of the geometric means of the round medians
            // (the times the comment shows), resampling rounds per side.
            let logs = |rounds: &[&[f64]]| -> Vec<f64> { round_medians(rounds).iter().map(|m| m.ln()).collect() };
            let (b, n) = (logs(base), logs(new));
            let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
            let draw = |v: &[f64], rng: &mut ChaCha20Rng| {
                (0..v.len()).map(|_| v[rng.random_range(0..v.len())]).sum::<f64>() / v.len() as f64
            };
            let (low, high) = bootstrap_interval(resamples, confidence, rng, |rng| {
                let nb = draw(&b, rng);
                let nn = draw(&n, rng);
                (nn - nb).exp()
            });
            ((mean(&n) - mean(&b)).exp(), low, high)
        }
        _ => {
            // One run (or uneven runs pooled): resample the samples of each side.
            let b: Vec<f64> = base.iter().flat_map(|r| r.iter().copied()).collect();
            let n: Vec<f64> = new.iter().flat_map(|r| r.iter().copied()).collect();
            let point = median(&mut n.clone()) / median(&mut b.clone());
            let mut scratch_b = vec![0.0; b.len()];
            let mut scratch_n = vec![0.0; n.len()];
            let (low, high) = bootstrap_interval(resamples, confidence, rng, |rng| {
                scratch_b.iter_mut().for_each(|x| *x = b[rng.random_range(0..b.len())]);
                scratch_n.iter_mut().for_each(|x| *x = n[rng.random_range(0..n.len())]);
                median(&mut scratch_n) / median(&mut scratch_b)
            });
            (point, low, high)
        }
    }
}

/// Compare every benchmark of two sides, each given as one or more rounds
/// (Criterion baselines). Benchmarks on one side only are `new` or `missing`.
pub fn compare(base: &[Vec<Measurement>], new: &[Vec<Measurement>], rule: &Rule) -> Vec<Comparison> {
    // Fixed seed: the same inputs always give the same verdict.
    let mut rng = ChaCha20Rng::seed_from_u64(0x6574_6862);
    let mut ids: Vec<&str> = base.iter().chain(new).flatten().map(|m| m.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    let rounds_of = |side: &[Vec<Measurement>], id: &str| -> Vec<Vec<f64>> {
        side.iter().filter_map(|round| round.iter().find(|m| m.id == id)).map(|m| m.per_iteration.clone()).collect()
    };
    // The time shown for a side: with one run, the median of its samples;
    // with rounds, the geometric mean of the round medians, so that new/base
    // of the shown times is the ratio the verdict is about.
    let typical = |rounds: &[Vec<f64>]| {
        if rounds.len() == 1 {
            median(&mut rounds[0].clone())
        } else {
            let logs: f64 = rounds.iter().map(|r| median(&mut r.clone()).ln()).sum();
            (logs / rounds.len() as f64).exp()
        }
    };

    ids.into_iter()
        .map(|id| {
            let floor = rule.floor_for(id);
            let (b, n) = (rounds_of(base, id), rounds_of(new, id));
            let mut c = Comparison {
                id: id.to_owned(),
                verdict: Verdict::Unchanged,
                base_ns: (!b.is_empty()).then(|| typical(&b)),
                new_ns: (!n.is_empty()).then(|| typical(&n)),
                ratio: None,
                low: None,
                high: None,
                floor,
                pairs: None,
                statistic: None,
            };
            let mut throughputs = base.iter().chain(new).flatten().filter(|m| m.id == id).map(|m| m.throughput);
            let first = throughputs.next();
            if b.is_empty() {
                c.verdict = Verdict::New;
            } else if n.is_empty() {
                c.verdict = Verdict::Missing;
            } else if throughputs.any(|t| t != first.flatten()) {
                // Different work per iteration on the two sides: the times say nothing of each other.
                c.verdict = Verdict::Incomparable;
            } else {
                let b: Vec<&[f64]> = b.iter().map(Vec::as_slice).collect();
                let n: Vec<&[f64]> = n.iter().map(Vec::as_slice).collect();
                let (ratio, low, high) = ratio_interval(&b, &n, rule, &mut rng);
                let statistic = Statistic::of_rounds(b.len(), n.len());
                c.statistic = Some(statistic);
                c.verdict = match judge(low, high, floor) {
                    Verdict::Regressed | Verdict::Improved if statistic == Statistic::Samples => Verdict::Suspect,
                    v => v,
                };
                (c.ratio, c.low, c.high) = (Some(ratio), Some(low), Some(high));
            }
            c
        })
        .collect()
}
