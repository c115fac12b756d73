//! The worst cases as a dated results file: per family its worst points
//! with their MGas/s interval, instructions per gas where counted, and how
//! far below the target; then every family's worst on one chart.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::search::{Point, Skipped};
use crate::judge::pricing::{Case, Kind};
use crate::measure::machine::Machine;
use crate::measure::results::{format_time, three_digits};

/// The family's worst point as a pricing case, for the shared bar chart.
pub fn as_case(p: &Point, kind: Kind) -> Case {
    Case { id: format!("{}: {}", p.family, p.label()), kind, gas: p.gas as f64, ns: p.ns, mgas: p.mgas }
}

/// A hand-written benchmark case (a blockchain test's block) of a family, measured here.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Reference {
    pub id: String,
    pub family: String,
    pub gas: u64,
    pub mgas: (f64, f64, f64),
}

/// Every family's name, as `families::all` names them.
pub const FAMILIES: [&str; 15] = [
    "keccak256",
    "exp",
    "copy",
    "memory",
    "log",
    "cold_account",
    "storage",
    "modexp",
    "hash_precompiles",
    "blake2f",
    "bn254_pairing",
    "bls12_g1msm",
    "bls12_g2msm",
    "bls12_pairing",
    "precompile_fixed",
];

/// The family a hand-written case belongs to, by the words in its id.
pub fn family_of(id: &str) -> Option<&'static str> {
    const WORDS: [(&str, &str); 17] = [
        ("keccak", "keccak256"),
        ("sha256", "hash_precompiles"),
        ("ripemd", "hash_precompiles"),
        ("identity", "hash_precompiles"),
        ("modexp", "modexp"),
        ("blake2", "blake2f"),
        ("bls12_g1msm", "bls12_g1msm"),
        ("bls12_g2msm", "bls12_g2msm"),
        ("bls12_pairing", "bls12_pairing"),
        ("pairing", "bn254_pairing"),
        ("point_evaluation", "precompile_fixed"),
        ("p256", "precompile_fixed"),
        ("ecrecover", "precompile_fixed"),
        ("copy", "copy"),
        ("log", "log"),
        ("extcode", "cold_account"),
        ("sload", "storage"),
    ];
    let id = id.to_ascii_lowercase();
    // The suite's own worst-case fixtures name theirs: `ethbench_worst_<family>__<variant>`.
    if let Some((_, rest)) = id.split_once("ethbench_worst_") {
        let named = rest.split("__").next().unwrap_or_default();
        if let Some(family) = FAMILIES.iter().find(|f| **f == named) {
            return Some(family);
        }
    }
    WORDS.iter().find(|(word, _)| id.contains(word)).map(|(_, family)| *family)
}

pub struct Summary<'a> {
    pub worst: &'a BTreeMap<String, Vec<Point>>,
    pub references: &'a [Reference],
    pub skipped: &'a [Skipped],
    pub evaluated: usize,
    pub gas: u64,
    pub target: f64,
    pub machine: &'a Machine,
    pub command: &'a str,
    pub took_secs: f64,
}

pub fn markdown(s: &Summary, svg: Option<&str>) -> String {
    let mut md = format!(
        "# The worst case of each family: the lowest MGas/s found\n\n\
         {date}, {machine}. Made by `{command}` in {took:.0} s: {n} programs, each spending {gas} M gas \
         (the transaction's gas limit; the loop stops with twice one iteration's gas left), verified \
         (every run repeats the first call's gas and output) and timed by the suite's measuring loop. \
         Each family's grid is searched, then refined between the slowest size and its neighbours. \
         Target {target} MGas/s (see `docs/pricing.md`). Everything runs on revm's in-memory empty \
         state: cold account and storage access cost the interpreter and journal here, not a \
         database (the state at scale measures those).\n\n",
        date = s.machine.date,
        machine = s.machine.summary(),
        command = s.command,
        took = s.took_secs,
        n = s.evaluated,
        gas = s.gas / 1_000_000,
        target = s.target,
    );
    if let Some(svg) = svg {
        let _ = writeln!(md, "![Each family's worst case, MGas/s on a log axis]({svg})\n");
    }
    md.push_str("| family | worst case | MGas/s (95% CI) | time per call | gas | instructions per gas | below target by |\n|---|---|---|---|---:|---:|---:|\n");
    for points in s.worst.values() {
        for (i, p) in points.iter().enumerate() {
            let below = if p.mgas.0 < s.target {
                format!("{:.0}%", 100.0 * (1.0 - p.mgas.0 / s.target))
            } else {
                String::new()
            };
            let _ = writeln!(
                md,
                "| {} | {}{} | {} ({} – {}) | {} | {} | {} | {below} |",
                if i == 0 { format!("**{}**", p.family) } else { String::new() },
                p.label(),
                if i == 0 { "" } else { " (runner-up)" },
                three_digits(p.mgas.0),
                three_digits(p.mgas.1),
                three_digits(p.mgas.2),
                format_time(p.ns.0),
                p.gas,
                p.instructions_per_gas.map_or("–".to_owned(), |v| format!("{v:.1}")),
            );
        }
    }
    if !s.references.is_empty() {
        md.push_str("\n## Against hand-written benchmark cases\n\nEach case a block of a blockchain test (`--reference DIR`, such as an execution-spec-tests benchmark release), run and timed here as `ethbench run blocktest` does; its family by the words in its name. A ratio below 1: the search found a slower case than the hand-written one.\n\n| hand-written case | gas | MGas/s (95% CI) | family | the search's worst | ratio |\n|---|---:|---|---|---|---:|\n");
        for r in s.references {
            let worst = s.worst.get(&r.family).and_then(|p| p.first());
            let _ = writeln!(
                md,
                "| `{}` | {} | {} ({} – {}) | {} | {} | {} |",
                r.id,
                r.gas,
                three_digits(r.mgas.0),
                three_digits(r.mgas.1),
                three_digits(r.mgas.2),
                r.family,
                worst.map_or("not searched".to_owned(), |p| format!("{} at {}", p.label(), three_digits(p.mgas.0))),
                worst.map_or(String::new(), |p| format!("{:.2}", p.mgas.0 / r.mgas.0)),
            );
        }
    }
    if !s.skipped.is_empty() {
        md.push_str("\nPoints not measured:\n\n");
        for k in s.skipped {
            let _ = writeln!(md, "- {} {} at {}: {}", k.family, k.variant, k.size, k.reason);
        }
    }
    md.push_str(
        "\nEach winner's program (code and calldata, hex) is in the `.json` beside this file; \
                 `ethbench run evm/bytecode --code 0x… --calldata 0x… --gas-limit 30000000` times one again.\n",
    );
    md
}
