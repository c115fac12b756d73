//! EVM execution on revm (`evm/*`): what each opcode costs, storage access
//! by EIP case, solc-compiled contracts, and a whole block.
//!
//! - `evm/op/*`, `evm/storage/*`: generated programs, each beside a
//!   baseline (`evm/baseline/*`) that differs only in the opcode under test;
//!   see [`program`] for the rule and how to read the difference.
//! - `evm/contract/*`: real contracts compiled by solc (fixtures/evm/contracts).
//! - `evm/block/*`: a block of mixed transactions through `transact_commit`.
//!
//! Every workload checks that its call succeeded and used exactly the gas
//! the schedule (or the fixture) predicts, plus its post-state.

pub mod asm;
pub mod block;
pub mod call;
pub mod contracts;
pub mod exec;
pub mod genesis;
pub mod opcodes;
pub mod program;
pub mod storage;
pub mod table;
pub mod world;

use crate::{Error, Fixtures, Select, Workload};
use program::Spec;
use world::World;

pub fn workloads(fx: &Fixtures, select: Select) -> Result<Vec<Box<dyn Workload>>, Error> {
    let world = World::load(fx)?;
    let mut all = Vec::new();
    if select.wants_any("evm/op") || select.wants_any("evm/storage") || select.wants_any("evm/baseline") {
        for (section, mut specs) in [("op", opcodes::specs(&world)), ("storage", storage::specs(&world))] {
            for (spec, baseline) in with_baselines(&mut specs) {
                if select.wants(&format!("evm/{section}/{}", spec.name)) {
                    all.push(program::workload(&world, section, spec, true));
                }
                if baseline && select.wants(&format!("evm/baseline/{}", spec.name)) {
                    all.push(program::workload(&world, section, spec, false));
                }
            }
        }
    }
    if select.wants_any("evm/contract") {
        all.extend(contracts::workloads(&world)?);
    }
    if select.wants_any("evm/block") {
        all.extend(block::workloads(&world));
    }
    Ok(select.keep(all))
}

/// Each spec, and whether it is the first with its baseline program (the
/// one the baseline is named after; see [`baseline_of`]).
fn with_baselines(specs: &mut [Spec]) -> Vec<(&mut Spec, bool)> {
    let baselines = baseline_of(specs);
    specs
        .iter_mut()
        .zip(baselines)
        .map(|(s, baseline)| {
            let first = baseline == format!("evm/baseline/{}", s.name);
            (s, first)
        })
        .collect()
}

fn baseline_key(spec: &Spec) -> (usize, Vec<u8>, usize, usize) {
    let prologue = spec.prologue.pc();
    let code = spec.code(false);
    (prologue, code[prologue..].to_vec(), spec.access.len(), spec.calldata.len())
}

/// The baseline id each `evm/op` and `evm/storage` program is read against:
/// specs whose code differs only in the operand values the prologue pushes
/// share one baseline, named after the first of them.
pub fn baseline_of(specs: &[Spec]) -> Vec<String> {
    let mut first: std::collections::HashMap<_, String> = std::collections::HashMap::new();
    specs
        .iter()
        .map(|s| first.entry(baseline_key(s)).or_insert_with(|| format!("evm/baseline/{}", s.name)).clone())
        .collect()
}
