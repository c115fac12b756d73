//! Each family's winner as a program for the fixtures: the search's point,
//! re-made to spend the fixtures' smaller budget (the execution
//! specification is Python, and slow on pairings and MSMs). The loop is the
//! same; a point whose one iteration does not fit the budget is made smaller
//! (its size halved until it fits), so the pattern per operation stays the
//! search's. `scripts/worstcase-fixtures.sh` fills the list with the
//! specification: the expected values come from there, never from revm.

use std::collections::BTreeMap;

use super::families::Family;
use super::search::{prepare, Point};

/// Gas the committed worst-case fixtures spend: the benchmark release's smallest files spend as much.
pub const FIXTURE_GAS: u64 = 1_000_000;

/// BLAKE2F's budget in the fixtures. It costs 1 gas a round and the
/// specification computes rounds in pure Python, about 150 µs each here: a
/// 1M-gas fixture took 430 s to fill, past what CI can refill on every run.
pub const BLAKE2F_FIXTURE_GAS: u64 = 100_000;

/// The budget of `family`'s fixture when the fixtures spend `gas`.
pub fn budget(family: &str, gas: u64) -> u64 {
    if family == "blake2f" {
        gas.min(BLAKE2F_FIXTURE_GAS)
    } else {
        gas
    }
}

/// One program to fill: what it is, where it was found, and its transaction.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Program {
    /// The test's name in the filled files: `<family>`.
    pub name: String,
    pub family: String,
    pub variant: String,
    pub size: u64,
    pub unit: String,
    /// What the search measured at its own budget, for the record.
    pub searched: Searched,
    pub code: String,
    pub calldata: String,
    /// The transaction's gas limit.
    pub gas_limit: u64,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Searched {
    pub size: u64,
    pub gas: u64,
    pub mgas: f64,
}

/// The first (slowest) point of each family in `worst`, re-made to spend
/// `gas`; `Err` names a family whose winner cannot be made to fit.
pub fn programs(families: &[Family], worst: &BTreeMap<String, Vec<Point>>, gas: u64) -> Result<Vec<Program>, String> {
    let mut out = Vec::new();
    for (name, points) in worst {
        let Some(winner) = points.first() else { continue };
        let family = families.iter().find(|f| f.name == name).ok_or_else(|| format!("no family `{name}` any more"))?;
        let variant = family
            .variants
            .iter()
            .find(|v| v.name == winner.variant)
            .ok_or_else(|| format!("family `{name}` has no variant `{}` any more", winner.variant))?;
        let gas = budget(name, gas);
        let mut size = winner.size;
        let prepared = loop {
            match prepare(family, variant, size, gas) {
                Ok(p) => break p,
                Err(why) if size / 2 >= variant.min && size > 1 => {
                    eprintln!("{name}: {} at {size}: {why}; trying {}", winner.variant, size / 2);
                    size /= 2;
                }
                Err(why) => return Err(format!("{name}: {} cannot be made to spend {gas} gas: {why}", winner.variant)),
            }
        };
        out.push(Program {
            name: name.clone(),
            family: name.clone(),
            variant: winner.variant.clone(),
            size,
            unit: winner.unit.clone(),
            searched: Searched { size: winner.size, gas: winner.gas, mgas: winner.mgas.0 },
            code: alloy_primitives::hex::encode_prefixed(&prepared.code),
            calldata: alloy_primitives::hex::encode_prefixed(&prepared.calldata),
            gas_limit: gas,
        });
    }
    Ok(out)
}
