//! Per-benchmark floors from runs where nothing the workloads run changed,
//! on this machine: a margin over the largest change each benchmark showed
//! there. Two kinds, one file each:
//!
//! - **Unpaired** (one Criterion run per side, `ethbench compare`): every
//!   pair of A/A runs is compared with no floor. The floor a benchmark needs
//!   in one pair is how far its interval lies beyond 1 on the nearer side (0
//!   when the interval holds 1): the smallest floor that would have called it
//!   unchanged.
//! - **Paired** (`ethbench ab`): the interval already holds the noise between
//!   rounds, so what the floor must absorb is the offset between two builds
//!   that do the same work: code layout, which a change anywhere in the
//!   binary moves. It is measured as each run's estimate itself (the
//!   Hodges–Lehmann shift of its per-round log ratios), best from pull
//!   requests that changed only code no workload runs.
//!
//! A few runs see less than the whole range of run-to-run drift, hence `MARGIN`.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::decide::{compare, round_log_ratios, Rule};
use crate::measure::results::Measurement;
use crate::measure::stats::hodges_lehmann;

/// Where the unpaired floors live, relative to the project's root.
pub const FILE: &str = "ci/unpaired-floors.json";
/// Where the paired floors live, relative to the project's root.
pub const PAIRED_FILE: &str = "ci/paired-floors.json";
/// Multiples of the largest needed floor seen in the calibration runs.
pub(crate) const MARGIN: f64 = 2.0;
/// No unpaired floor is below this.
pub const MINIMUM: f64 = 0.01;
/// No paired floor is below this. Replayed on the rounds of a docs-only pull
/// request (`ethbench stopping-rule
/// --calibrated-floors`), a 0.5% minimum gave 8 false alarms in 5,860
/// benchmark-runs and 1% gave 1, as the fixed 2% floor did, while still
/// catching 78% of +2% changes (docs/results/2026-12-06-paired-floors-xeon-2core.md).
pub const PAIRED_MINIMUM: f64 = 0.01;

/// The committed floors and where they come from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CalibratedFloors {
    pub written_by: String,
    pub date: String,
    pub machine: String,
    /// The runs they come from: Criterion baselines of one tree (unpaired),
    /// or the JSON of paired runs.
    #[serde(alias = "baselines")]
    pub runs: Vec<String>,
    pub margin: f64,
    pub minimum: f64,
    /// By benchmark id: the floor.
    pub floors: BTreeMap<String, f64>,
    /// By benchmark id: the largest floor a calibration run needed.
    pub needed: BTreeMap<String, f64>,
}

/// The floor that would have called `low..high` unchanged.
fn needed(low: f64, high: f64) -> f64 {
    (low - 1.0).max(1.0 - high).max(0.0)
}

/// Rounded up to 0.1%, so the committed file reads cleanly.
fn round_up(f: f64) -> f64 {
    (f * 1000.0).ceil() / 1000.0
}

/// Unpaired floors from `runs` (name, measurements), compared pairwise.
pub fn derive(runs: &[(String, Vec<Measurement>)], minimum: f64, command: &str) -> Result<CalibratedFloors, String> {
    if runs.len() < 2 {
        return Err("calibration compares runs pairwise: give at least two baselines of one tree".into());
    }
    let rule = Rule { floor: 0.0, ..Rule::default() };
    let mut worst: BTreeMap<String, f64> = BTreeMap::new();
    for (i, (_, a)) in runs.iter().enumerate() {
        for (_, b) in &runs[i + 1..] {
            for c in compare(std::slice::from_ref(a), std::slice::from_ref(b), &rule) {
                if let (Some(low), Some(high)) = (c.low, c.high) {
                    let w = worst.entry(c.id).or_insert(0.0);
                    *w = w.max(needed(low, high));
                }
            }
        }
    }
    Ok(written(runs.iter().map(|(n, _)| n.clone()).collect(), worst, minimum, command))
}

/// Paired floors from paired runs (name, benchmark id → rounds of (base,
/// head) chunk means) in which nothing a workload runs changed.
pub fn derive_paired(
    runs: &[(String, PairedSamples)],
    minimum: f64,
    command: &str,
) -> Result<CalibratedFloors, String> {
    if runs.is_empty() {
        return Err(
            "give the JSON of at least one paired run (`ethbench ab --json`) in which no workload changed".into()
        );
    }
    let mut worst: BTreeMap<String, f64> = BTreeMap::new();
    for (_, samples) in runs {
        for (id, rounds) in samples {
            let logs = round_log_ratios(rounds);
            if logs.is_empty() {
                continue;
            }
            let (shift, _, _) = hodges_lehmann(&logs, 0.95);
            let w = worst.entry(id.clone()).or_insert(0.0);
            *w = w.max(shift.abs().exp() - 1.0);
        }
    }
    Ok(written(runs.iter().map(|(n, _)| n.clone()).collect(), worst, minimum, command))
}

/// What a paired run recorded: benchmark id → rounds → (base, head) mean ns per run.
pub type PairedSamples = BTreeMap<String, Vec<Vec<(f64, f64)>>>;

fn written(runs: Vec<String>, worst: BTreeMap<String, f64>, minimum: f64, command: &str) -> CalibratedFloors {
    let machine = crate::measure::machine::Machine::current();
    CalibratedFloors {
        written_by: command.to_owned(),
        date: machine.date.clone(),
        machine: machine.summary(),
        runs,
        margin: MARGIN,
        minimum,
        floors: worst.iter().map(|(id, w)| (id.clone(), round_up((MARGIN * w).max(minimum)))).collect(),
        needed: worst.into_iter().map(|(id, w)| (id, round_up(w))).collect(),
    }
}

/// The committed floors, if the file exists.
pub fn load(path: &Path) -> Result<Option<CalibratedFloors>, String> {
    match std::fs::read(path) {
        Ok(text) => serde_json::from_slice(&text)
            .map(Some)
            .map_err(|e| format!("{}: not floors written by `ethbench floors --write` ({e})", path.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("{}: {e}", path.display())),
    }
}

/// Quantiles of the floors, for the table printed beside them.
pub fn distribution(floors: &BTreeMap<String, f64>) -> Vec<(&'static str, f64)> {
    let mut v: Vec<f64> = floors.values().copied().collect();
    v.sort_by(f64::total_cmp);
    if v.is_empty() {
        return Vec::new();
    }
    let at = |q: f64| v[((v.len() - 1) as f64 * q).round() as usize];
    vec![
        ("min", v[0]),
        ("25%", at(0.25)),
        ("median", at(0.5)),
        ("75%", at(0.75)),
        ("90%", at(0.9)),
        ("max", v[v.len() - 1]),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_needed_floor_is_the_gap_between_the_interval_and_no_change() {
        assert_eq!(needed(0.98, 1.01), 0.0);
        assert!((needed(1.04, 1.06) - 0.04).abs() < 1e-12);
        assert!((needed(0.90, 0.95) - 0.05).abs() < 1e-12);
        assert_eq!(round_up(0.0121), 0.013);
    }

    #[test]
    fn a_paired_floor_is_twice_the_largest_shift_of_a_run_and_at_least_the_minimum() {
        // Run one: the head is 1% slower in every round (a layout offset); run two: no offset.
        let run = |offset: f64| -> PairedSamples {
            let rounds = (0..10).map(|i| vec![(100.0, 100.0 * offset + f64::from(i % 3) * 0.01); 4]).collect();
            BTreeMap::from([("g/shifted".to_owned(), rounds), ("g/steady".to_owned(), vec![vec![(50.0, 50.0); 4]; 10])])
        };
        let floors =
            derive_paired(&[("one".into(), run(1.01)), ("two".into(), run(1.0))], PAIRED_MINIMUM, "test").unwrap();
        assert!((0.020..=0.021).contains(&floors.floors["g/shifted"]), "{:?}", floors.floors);
        assert_eq!(floors.floors["g/steady"], PAIRED_MINIMUM);
        assert_eq!(floors.runs, ["one", "two"]);
        assert!(derive_paired(&[], PAIRED_MINIMUM, "test").is_err());
    }
}
