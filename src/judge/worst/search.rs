//! The search: every variant's grid, then refinement between the slowest
//! size and its neighbours (geometric midpoints, twice; beyond the grid's
//! edge when the slowest is on it), each point one
//! program spending the gas budget, verified and timed by the suite's one
//! measuring loop. The worst `keep` of each family are kept.

use std::collections::BTreeMap;
use std::time::Duration;

use alloy_primitives::U256;

use super::families::{Family, Variant};
use crate::groups::inputs::bytecode::checked_call;
use crate::groups::scale::measure::measure;
use crate::measure::error::Error;

#[derive(Debug, Clone)]
pub struct Options {
    /// Gas each program spends (the transaction's gas limit).
    pub gas: u64,
    /// Measuring time per point.
    pub seconds: f64,
    /// How many of each family to keep.
    pub keep: usize,
    /// Refinement rounds after the grid.
    pub refine: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options { gas: 30_000_000, seconds: 0.6, keep: 3, refine: 2 }
    }
}

/// One point of a family, measured.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Point {
    pub family: String,
    pub variant: String,
    pub size: u64,
    pub unit: String,
    /// Gas the call spent, intrinsic gas included.
    pub gas: u64,
    /// Time per call, ns: point estimate and 95% interval.
    pub ns: (f64, f64, f64),
    /// MGas/s: point, low, high.
    pub mgas: (f64, f64, f64),
    pub code: String,
    pub calldata: String,
    /// The loop runs while more gas than this is left (twice one iteration's).
    pub margin: u64,
    /// CPU instructions per gas, from `--counts` (callgrind), when taken.
    #[serde(default)]
    pub instructions_per_gas: Option<f64>,
}

impl Point {
    pub fn label(&self) -> String {
        if self.unit.is_empty() {
            self.variant.clone()
        } else {
            format!("{}, {} {}", self.variant, self.size, self.unit)
        }
    }
}

/// Why a point was not measured: its one iteration costs too much of the budget.
#[derive(Debug, Clone)]
pub struct Skipped {
    pub family: String,
    pub variant: String,
    pub size: u64,
    pub reason: String,
}

pub struct Outcome {
    /// Per family, its points slowest first, at most `keep`.
    pub worst: BTreeMap<String, Vec<Point>>,
    pub evaluated: usize,
    pub skipped: Vec<Skipped>,
}

/// One point's program, run once and checked, ready to time.
pub struct Prepared {
    pub call: crate::groups::inputs::bytecode::CheckedCall,
    pub code: Vec<u8>,
    pub calldata: Vec<u8>,
    pub margin: u64,
}

/// The programs of one point: a probe that runs the body once and one that
/// runs only the setup, their difference sizing the loop's margin (twice one
/// iteration's gas, so the loop stops before an iteration could run out of
/// gas), then the loop itself, run once and checked. `Err` says why the point cannot be measured in this budget.
pub fn prepare(family: &Family, variant: &Variant, size: u64, gas: u64) -> Result<Prepared, String> {
    let parts = (variant.build)(size);
    let id = format!("worst/{}/{}/{size}", family.name, variant.name.replace(' ', "_"));
    let about = format!("{} {}", family.name, variant.name);
    let probe = checked_call(&id, &about, parts.once(), parts.calldata.clone(), gas, U256::ZERO)
        .map_err(|problem| format!("one iteration fails: {problem}"))?;
    // The transaction's own gas and the setup's are paid once, not per iteration.
    let base = checked_call(&id, &about, parts.setup_only(), parts.calldata.clone(), gas, U256::ZERO)
        .map_err(|problem| format!("the setup fails: {problem}"))?;
    let iteration = probe.gas.saturating_sub(base.gas);
    let margin = 2 * iteration + 20_000;
    if margin > gas / 4 {
        return Err(format!("one iteration costs {iteration} gas, too much of a {gas} budget"));
    }
    let code = parts.looped(margin);
    let call = checked_call(&id, &about, code.clone(), parts.calldata.clone(), gas, U256::ZERO)
        .map_err(|problem| format!("the loop fails: {problem}"))?;
    Ok(Prepared { call, code, calldata: parts.calldata, margin })
}

/// One point prepared and timed; `Ok(Err(why))` when it cannot be measured in the budget.
pub fn evaluate(
    family: &Family,
    variant: &Variant,
    size: u64,
    options: &Options,
) -> Result<Result<Point, String>, Error> {
    let mut prepared = match prepare(family, variant, size, options.gas) {
        Ok(p) => p,
        Err(why) => return Ok(Err(why)),
    };
    let m = measure(prepared.call.workload.as_mut(), Duration::from_secs_f64(options.seconds))?;
    let gas = prepared.call.gas as f64;
    let rate = |ns: f64| gas / ns * 1e3;
    Ok(Ok(Point {
        family: family.name.to_owned(),
        variant: variant.name.clone(),
        size,
        unit: family.unit.to_owned(),
        gas: prepared.call.gas,
        ns: m.ns,
        mgas: (rate(m.ns.0), rate(m.ns.2), rate(m.ns.1)),
        code: alloy_primitives::hex::encode_prefixed(&prepared.code),
        calldata: alloy_primitives::hex::encode_prefixed(&prepared.calldata),
        margin: prepared.margin,
        instructions_per_gas: None,
    }))
}

/// Between `a` and `b`, geometrically (sizes span orders of magnitude).
fn midpoint(a: u64, b: u64) -> u64 {
    ((a.max(1) as f64 * b.max(1) as f64).sqrt().round() as u64).clamp(a.min(b), a.max(b))
}

/// Search one family; `progress` is told after every point.
pub fn family(
    family: &Family,
    options: &Options,
    progress: &mut dyn FnMut(&str),
) -> Result<(Vec<Point>, Vec<Skipped>, usize), Error> {
    let mut points: Vec<Point> = Vec::new();
    let mut skipped = Vec::new();
    let mut evaluated = 0;
    for variant in &family.variants {
        let mut tried: BTreeMap<u64, Option<f64>> = BTreeMap::new();
        let mut run = |size: u64, tried: &mut BTreeMap<u64, Option<f64>>| -> Result<(), Error> {
            if tried.contains_key(&size) {
                return Ok(());
            }
            evaluated += 1;
            match evaluate(family, variant, size, options)? {
                Ok(p) => {
                    progress(&format!("{} {} {}: {:.1} MGas/s", family.name, variant.name, size, p.mgas.0));
                    tried.insert(size, Some(p.mgas.0));
                    points.push(p);
                }
                Err(reason) => {
                    tried.insert(size, None);
                    skipped.push(Skipped {
                        family: family.name.to_owned(),
                        variant: variant.name.clone(),
                        size,
                        reason,
                    });
                }
            }
            Ok(())
        };
        for &size in &variant.grid {
            run(size, &mut tried)?;
        }
        for _ in 0..options.refine {
            let measured: Vec<(u64, f64)> = tried.iter().filter_map(|(s, r)| r.map(|r| (*s, r))).collect();
            let Some(best) = measured.iter().enumerate().min_by(|a, b| a.1 .1.total_cmp(&b.1 .1)).map(|(i, _)| i)
            else {
                break;
            };
            let mut next = Vec::new();
            let size = measured[best].0;
            // Between the slowest and each neighbour; past the grid's edge
            // when the slowest sits on it (twice, or half, the size).
            match best.checked_sub(1) {
                Some(below) => next.push(midpoint(measured[below].0, size)),
                None => next.push(size / 2),
            }
            match measured.get(best + 1) {
                Some(above) => next.push(midpoint(size, above.0)),
                None => next.push(size.saturating_mul(2).max(1)),
            }
            let fresh: Vec<u64> = next
                .into_iter()
                .filter(|s| (variant.min..=variant.max).contains(s) && !tried.contains_key(s))
                .collect();
            if fresh.is_empty() {
                break;
            }
            for size in fresh {
                run(size, &mut tried)?;
            }
        }
    }
    points.sort_by(|a, b| a.mgas.0.total_cmp(&b.mgas.0));
    points.truncate(options.keep);
    Ok((points, skipped, evaluated))
}
