//! Per-benchmark floors for unpaired comparisons (one Criterion run per
//! side), from A/A runs of one tree on this machine: every pair of runs is
//! compared with no floor, and each benchmark's floor is a margin over the
//! largest change its intervals showed where nothing changed.
//!
//! The floor a benchmark needs in one A/A pair is how far its interval lies
//! beyond 1 on the nearer side (0 when the interval holds 1): the smallest
//! floor that would have called it unchanged. A few pairs see less than the
//! whole range of run-to-run drift, hence `MARGIN`.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::decide::{compare, Rule};
use crate::measure::results::Measurement;

/// Where the floors live, relative to the project's root.
pub const FILE: &str = "ci/unpaired-floors.json";
/// Multiples of the largest needed floor seen in the A/A pairs.
pub(crate) const MARGIN: f64 = 2.0;
/// No benchmark's floor is below this.
pub const MINIMUM: f64 = 0.01;

/// The committed floors and where they come from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnpairedFloors {
    pub written_by: String,
    pub date: String,
    pub machine: String,
    /// The Criterion baselines compared pairwise: runs of one tree.
    pub baselines: Vec<String>,
    pub margin: f64,
    pub minimum: f64,
    /// By benchmark id: the floor.
    pub floors: BTreeMap<String, f64>,
    /// By benchmark id: the largest floor an A/A pair needed.
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

/// Floors from `runs` (name, measurements), compared pairwise.
pub fn derive(runs: &[(String, Vec<Measurement>)], command: &str) -> Result<UnpairedFloors, String> {
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
    let floors = worst.iter().map(|(id, w)| (id.clone(), round_up((MARGIN * w).max(MINIMUM)))).collect();
    let machine = crate::measure::machine::Machine::current();
    Ok(UnpairedFloors {
        written_by: command.to_owned(),
        date: machine.date.clone(),
        machine: machine.summary(),
        baselines: runs.iter().map(|(n, _)| n.clone()).collect(),
        margin: MARGIN,
        minimum: MINIMUM,
        floors,
        needed: worst.into_iter().map(|(id, w)| (id, round_up(w))).collect(),
    })
}

/// The committed floors, if the file exists.
pub fn load(path: &Path) -> Result<Option<UnpairedFloors>, String> {
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
}
