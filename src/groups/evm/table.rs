//! `ethbench report opcodes`: per-opcode cost from a Criterion run, with each
//! program's baseline subtracted, and MGas/s of the contracts and the block.
//! It reads the programs' specs (ops, gas, baseline) from the world's
//! address lists alone and the gas of contracts and the block from the
//! recorded throughput: nothing is executed, and no database is built.

use std::collections::HashMap;
use std::fmt::Write;

use super::world::World;
use super::Programs;
use crate::measure::error::Error;
use crate::measure::results::{format_time, three_digits, Measurement};
use crate::measure::workload::Throughput;

/// What the table needs to know of one generated program.
pub(crate) struct OpRow {
    pub id: String,
    pub baseline: String,
    pub ops: u64,
    pub gas_per_op: f64,
    pub program_gas: u64,
}

pub(crate) fn op_rows(world: &World) -> Vec<OpRow> {
    let programs = Programs::new(world);
    (0..programs.specs.len())
        .map(|i| {
            let spec = &programs.specs[i].1;
            OpRow {
                id: programs.id(i),
                baseline: programs.baseline_id(i),
                ops: spec.ops(),
                gas_per_op: spec.gas_per_op(),
                program_gas: spec.predicted_gas(true),
            }
        })
        .collect()
}

/// One operation's time, ns, from its program's and its baseline's time per
/// call (each point, low, high) over `ops` operations. The interval is
/// conservative: the extremes of both intervals.
pub(crate) fn per_op_ns(program: (f64, f64, f64), baseline: (f64, f64, f64), ops: u64) -> (f64, f64, f64) {
    let ops = ops as f64;
    ((program.0 - baseline.0) / ops, (program.1 - baseline.2) / ops, (program.2 - baseline.1) / ops)
}

/// Gas per second in millions, three significant digits; "—" without a time.
pub(crate) fn mgas_per_s(gas: f64, ns: f64) -> String {
    if ns > 0.0 {
        three_digits(gas / ns * 1e3)
    } else {
        "—".to_owned()
    }
}

fn gas(g: f64) -> String {
    if g.fract() == 0.0 {
        format!("{g:.0}")
    } else {
        format!("{g:.1}")
    }
}

/// The per-opcode table and the contract/block table, as Markdown.
pub fn markdown(world: &World, measured: &[Measurement]) -> Result<String, Error> {
    let by_id: HashMap<&str, &Measurement> = measured.iter().map(|m| (m.id.as_str(), m)).collect();
    let rows = op_rows(world);
    if !rows.iter().any(|r| by_id.contains_key(r.id.as_str())) {
        return Err(Error::Input {
            path: "evm/op".into(),
            problem: "no EVM program results in this baseline; run `cargo bench --bench evm` first".into(),
        });
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "| program | ns per op, baseline removed (95% CI) | gas per op | op MGas/s | program time per call | program MGas/s | baseline |"
    );
    let _ = writeln!(out, "|---|---|---|---|---|---|---|");
    for r in &rows {
        let (Some(p), Some(b)) = (by_id.get(r.id.as_str()), by_id.get(r.baseline.as_str())) else { continue };
        let (pm, bm) = (&p.median, &b.median);
        let triple = |m: &crate::measure::results::Estimate| {
            (m.point_estimate, m.confidence_interval.lower_bound, m.confidence_interval.upper_bound)
        };
        let (per_op, low, high) = per_op_ns(triple(pm), triple(bm), r.ops);
        let _ = writeln!(
            out,
            "| `{}` | {} ({} – {}) | {} | {} | {} | {} | `{}` |",
            r.id.trim_start_matches("evm/"),
            three_digits(per_op),
            three_digits(low),
            three_digits(high),
            gas(r.gas_per_op),
            // Only where the op is measurably dearer than its replacement.
            if low > 0.0 { mgas_per_s(r.gas_per_op, per_op) } else { "—".to_owned() },
            format_time(pm.point_estimate),
            mgas_per_s(r.program_gas as f64, pm.point_estimate),
            r.baseline.trim_start_matches("evm/"),
        );
    }

    let _ = writeln!(out);
    let _ = writeln!(out, "| workload | time per call (median) | gas | MGas/s |");
    let _ = writeln!(out, "|---|---|---|---|");
    // Their throughput is the gas one run uses, recorded with the results.
    for m in measured.iter().filter(|m| m.id.starts_with("evm/contract/") || m.id.starts_with("evm/block/")) {
        let Some(Throughput::Elements(gas)) = m.throughput else { continue };
        let ns = m.median.point_estimate;
        let _ = writeln!(
            out,
            "| `{}` | {} | {gas} | {} |",
            m.id.trim_start_matches("evm/"),
            format_time(ns),
            mgas_per_s(gas as f64, ns)
        );
    }
    Ok(out)
}
