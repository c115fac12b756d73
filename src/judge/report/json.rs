//! The machine-readable reports: the comparison as JSON (what the trusted
//! comment renderer reads, checked against its schema), and Bencher Metric
//! Format for continuous-benchmarking services.

use serde_json::json;

use super::{Judgement, Report, Run};
use crate::judge::compare::{Comparison, Side};

fn pretty(value: &serde_json::Value) -> String {
    serde_json::to_string_pretty(value).expect("JSON values serialize") + "\n"
}

/// The rule, the sides, the summary (a risen instruction count counts as a
/// regression there, as in the headline and the exit status), every
/// benchmark, and what a paired run measured.
pub struct Json;

impl Report for Json {
    fn render(&self, j: &Judgement) -> String {
        let (rule, header) = (&j.rule, &j.header);
        let sides: Vec<serde_json::Value> = header
            .sides
            .iter()
            .map(|s| json!({ "label": s.label, "source": s.source, "date": s.date, "machine": s.machine }))
            .collect();
        let mut report = json!({
            "rule": {
                "floor": rule.floor,
                "floors": rule.floors.iter().map(|(p, f)| json!({ "prefix": p, "floor": f })).collect::<Vec<_>>(),
                "calibrated_floors": rule.calibrated.len(),
                "calibrated_from": rule.calibrated_from,
                "confidence": rule.confidence,
                "resamples": rule.resamples,
                "method": header.method,
            },
            "sides": sides,
            "summary": j.summary,
            "benchmarks": j.comparisons,
        });
        if let Run::Paired(outcome) = &j.run {
            report["plants"] = json!(outcome.plants);
            report["measured_secs"] = json!(outcome.measured_secs);
            report["load_secs"] = json!(outcome.load_secs);
            report["bench_secs"] = json!(outcome.bench_secs);
            report["samples"] = json!(outcome.samples);
        }
        if let Some((check, _)) = &j.counts {
            report["instruction_counts"] = json!({ "cpu_differs": check.cpu_differs, "rows": check.rows });
            report["summary"]["instruction_counts_rose"] = json!(check.rose_count());
        }
        pretty(&report)
    }
}

/// Bencher Metric Format: `{ id: { "latency": { value, … } } }`, ns, of the new side.
pub struct Bmf;

impl Report for Bmf {
    fn render(&self, j: &Judgement) -> String {
        pretty(&match &j.run {
            Run::Baselines { new, .. } => of_baselines(new),
            Run::Paired(_) => of_paired(&j.comparisons),
        })
    }
}

/// Bencher Metric Format for the new side: `{ id: { "latency": { value, lower_value, upper_value } } }`, ns.
fn of_baselines(new: &Side) -> serde_json::Value {
    let mut out = serde_json::Map::new();
    if let Some(first) = new.rounds.first() {
        for m in first {
            let mut pooled: Vec<f64> = new
                .rounds
                .iter()
                .filter_map(|r| r.iter().find(|x| x.id == m.id))
                .flat_map(|x| x.per_iteration.iter().copied())
                .collect();
            pooled.sort_unstable_by(f64::total_cmp);
            let at = |p: f64| pooled[((pooled.len() - 1) as f64 * p).round() as usize];
            out.insert(
                m.id.clone(),
                json!({ "latency": { "value": at(0.5), "lower_value": at(0.05), "upper_value": at(0.95) } }),
            );
        }
    }
    serde_json::Value::Object(out)
}

/// Bencher Metric Format from a paired run: each benchmark's mean time per run on the head side, ns.
fn of_paired(comparisons: &[Comparison]) -> serde_json::Value {
    let mut out = serde_json::Map::new();
    for c in comparisons {
        if let Some(ns) = c.new_ns {
            out.insert(c.id.clone(), json!({ "latency": { "value": ns } }));
        }
    }
    serde_json::Value::Object(out)
}
