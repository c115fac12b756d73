//! Gas per second of every priced operation: each opcode program and
//! storage-access case per operation (its baseline program subtracted), and
//! each precompile input per call, ranked from the slowest. An operation
//! whose MGas/s is below a target is one a block can be stuffed with to run
//! longer than its gas says: the number every repricing proposal rests on.
//!
//! Times come from a Criterion run or a fresh one ([`Timed`]); the gas is the
//! suite's own price of each case (the program's generating rule, the
//! precompile's EIP formula as recorded with the result). Nothing here runs.

pub mod report;

use std::collections::HashMap;

use crate::data::Fixtures;
use crate::data::{self, PrecompileVector};
use crate::groups::evm::table::{op_rows, per_op_ns};
use crate::groups::evm::world::World;
use crate::measure::error::Error;
use crate::measure::results::Measurement;
use crate::measure::workload::Throughput;

/// The default target: a 60M-gas block (mainnet's gas limit since late
/// 2025) executed in one second, a quarter of the four seconds before a
/// slot's attestations are due, which leaves the rest for receiving the
/// block, its state root and its commit (docs/pipeline.md measures those).
pub const DEFAULT_TARGET_MGAS: f64 = 60.0;

/// One workload's time per run (one call of a program or a precompile):
/// point estimate and 95% interval, ns.
#[derive(Debug, Clone)]
pub struct Timed {
    pub id: String,
    pub ns: (f64, f64, f64),
    pub throughput: Option<Throughput>,
}

impl Timed {
    /// A Criterion result: its median and the median's interval.
    pub fn from_criterion(m: &Measurement) -> Self {
        let ci = m.median.confidence_interval;
        Timed {
            id: m.id.clone(),
            ns: (m.median.point_estimate, ci.lower_bound, ci.upper_bound),
            throughput: m.throughput,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Opcode,
    Storage,
    Precompile,
}

impl Kind {
    pub fn label(self) -> &'static str {
        match self {
            Kind::Opcode => "opcode",
            Kind::Storage => "storage",
            Kind::Precompile => "precompile",
        }
    }
}

/// One priced operation.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Case {
    /// The workload id: `evm/op/mulmod`, `precompile/modexp/nagydani_3_pow0x10001`.
    pub id: String,
    pub kind: Kind,
    /// Gas of one operation (opcode, storage access) or one call (precompile).
    pub gas: f64,
    /// Time of one operation or call, ns: point estimate and 95% interval.
    pub ns: (f64, f64, f64),
    /// Millions of gas per second: point, low, high. `high` is infinite when
    /// the operation's cost is not resolved above its baseline program's.
    pub mgas: (f64, f64, f64),
}

impl Case {
    /// Whether the operation's cost is measurably above its baseline's.
    pub(crate) fn resolved(&self) -> bool {
        self.mgas.2.is_finite()
    }
}

/// Millions of gas per second for `gas` in `ns` nanoseconds.
fn mgas(gas: f64, ns: f64) -> f64 {
    if ns > 0.0 {
        gas / ns * 1e3
    } else {
        f64::INFINITY
    }
}

/// Every priced case of `timed` (opcodes, storage access, precompiles), slowest first.
pub fn cases(world: &World, fx: &Fixtures, timed: &[Timed]) -> Result<Vec<Case>, Error> {
    let by_id: HashMap<&str, &Timed> = timed.iter().map(|t| (t.id.as_str(), t)).collect();
    let mut out = Vec::new();
    for row in op_rows(world) {
        let (Some(program), Some(baseline)) = (by_id.get(row.id.as_str()), by_id.get(row.baseline.as_str())) else {
            continue;
        };
        let ns = per_op_ns(program.ns, baseline.ns, row.ops);
        let kind = if row.id.starts_with("evm/storage/") { Kind::Storage } else { Kind::Opcode };
        // The interval's slow end is the rate's low end, and the other way round.
        let point = if ns.0 > 0.0 { mgas(row.gas_per_op, ns.0) } else { f64::INFINITY };
        out.push(Case {
            id: row.id,
            kind,
            gas: row.gas_per_op,
            ns,
            mgas: (point, mgas(row.gas_per_op, ns.2), mgas(row.gas_per_op, ns.1)),
        });
    }
    let vectors: Vec<PrecompileVector> = fx.json(data::PRECOMPILE_VECTORS)?;
    for v in vectors.iter().filter(|v| !v.fails) {
        let id = format!("precompile/{}", v.id);
        let Some(t) = by_id.get(id.as_str()) else { continue };
        // A workload says Gas; Criterion records it as elements.
        let Some(Throughput::Elements(gas) | Throughput::Gas(gas)) = t.throughput else { continue };
        let gas = gas as f64;
        out.push(Case {
            id,
            kind: Kind::Precompile,
            gas,
            ns: t.ns,
            mgas: (mgas(gas, t.ns.0), mgas(gas, t.ns.2), mgas(gas, t.ns.1)),
        });
    }
    if out.is_empty() {
        return Err(Error::Input {
            path: "pricing".into(),
            problem: "no opcode, storage or precompile results; run `cargo bench --bench evm --bench precompile` first, or pass --fresh".into(),
        });
    }
    rank(&mut out);
    Ok(out)
}

/// Slowest first by point estimate; cases not resolved above their
/// baseline (an infinite rate) last, by their interval's low end.
fn rank(cases: &mut [Case]) {
    cases.sort_by(|a, b| {
        a.mgas.0.total_cmp(&b.mgas.0).then(a.mgas.1.total_cmp(&b.mgas.1)).then_with(|| a.id.cmp(&b.id))
    });
}

/// How far below `target` a case lies, as a fraction of the target
/// (0.25: at 75% of it), by its point estimate; `None` when not below.
pub fn shortfall(case: &Case, target: f64) -> Option<f64> {
    (case.mgas.0 < target).then(|| 1.0 - case.mgas.0 / target)
}

/// Whether the whole interval lies below the target: below it beyond the noise.
pub fn surely_below(case: &Case, target: f64) -> bool {
    case.mgas.2 < target
}
