//! `ethbench report precompiles`: time per call, gas and MGas/s of every precompile
//! workload from a Criterion run. Gas is the recorded throughput (the
//! suite's own price of the call); nothing is executed.

use std::fmt::Write;

use crate::data::Fixtures;
use crate::data::{self, PrecompileVector};
use crate::groups::evm::table::mgas_per_s;
use crate::measure::error::Error;
use crate::measure::results::{format_time, Measurement};
use crate::measure::workload::Throughput;

/// The table, as Markdown, in the vectors' order.
pub fn markdown(fx: &Fixtures, measured: &[Measurement]) -> Result<String, Error> {
    let vectors: Vec<PrecompileVector> = fx.json(data::PRECOMPILE_VECTORS)?;
    let mut out = String::new();
    let _ = writeln!(out, "| precompile | input | time per call (median, 95% CI) | gas | MGas/s |");
    let _ = writeln!(out, "|---|---|---|---:|---:|");
    let mut rows = 0;
    for v in &vectors {
        let Some(m) = measured.iter().find(|m| m.id.strip_prefix("precompile/") == Some(v.id.as_str())) else {
            continue;
        };
        let Some(Throughput::Elements(gas)) = m.throughput else { continue };
        let (name, input) = v.id.split_once('/').unwrap_or((&v.id, ""));
        let ns = m.median.point_estimate;
        let ci = m.median.confidence_interval;
        // A failed call burns the gas it was given; its rate says nothing about the precompile's price.
        let rate = if v.fails { "fails".to_owned() } else { mgas_per_s(gas as f64, ns) };
        let _ = writeln!(
            out,
            "| `{name}` | `{input}` | {} ({} – {}) | {gas} | {rate} |",
            format_time(ns),
            format_time(ci.lower_bound),
            format_time(ci.upper_bound)
        );
        rows += 1;
    }
    if rows == 0 {
        return Err(Error::Input {
            path: "precompile".into(),
            problem: "no precompile results in this baseline; run `cargo bench --bench precompile` first".into(),
        });
    }
    Ok(out)
}
