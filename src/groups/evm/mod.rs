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

use crate::data::Fixtures;
use crate::measure::error::Error;
use crate::measure::workload::{Select, Workload};
use program::Spec;
use world::World;

pub fn workloads(fx: &Fixtures, select: Select) -> Result<Vec<Box<dyn Workload>>, Error> {
    let world = World::load(fx)?;
    let mut all = Vec::new();
    if select.wants_any("evm/op") || select.wants_any("evm/storage") || select.wants_any("evm/baseline") {
        let mut programs = Programs::new(&world);
        for i in 0..programs.specs.len() {
            let (id, baseline_id, owns) = (programs.id(i), programs.baseline_id(i), programs.owns_baseline(i));
            let (section, spec) = &mut programs.specs[i];
            if select.wants(&id) {
                all.push(program::workload(&world, section, spec, true));
            }
            if owns && select.wants(&baseline_id) {
                all.push(program::workload(&world, section, spec, false));
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

/// Every generated program (`evm/op/*`, `evm/storage/*`) and the program
/// whose baseline it is read against: specs whose code differs only in the
/// operand values the prologue pushes share one baseline, owned by (and
/// named after) the first of them.
pub(crate) struct Programs {
    /// (section, spec), sections `op` then `storage`.
    pub specs: Vec<(&'static str, Spec)>,
    /// For each spec, the index of the spec that owns its baseline.
    owner: Vec<usize>,
}

impl Programs {
    pub fn new(world: &World) -> Self {
        let specs: Vec<(&'static str, Spec)> = opcodes::specs(world)
            .into_iter()
            .map(|s| ("op", s))
            .chain(storage::specs(world).into_iter().map(|s| ("storage", s)))
            .collect();
        let mut first = std::collections::HashMap::new();
        let owner = specs.iter().enumerate().map(|(i, (_, s))| *first.entry(baseline_key(s)).or_insert(i)).collect();
        Self { specs, owner }
    }

    /// `evm/<section>/<name>`.
    pub fn id(&self, i: usize) -> String {
        let (section, spec) = &self.specs[i];
        format!("evm/{section}/{}", spec.name)
    }

    /// `evm/baseline/<name of the owner>`.
    pub(crate) fn baseline_id(&self, i: usize) -> String {
        format!("evm/baseline/{}", self.specs[self.owner[i]].1.name)
    }

    pub(crate) fn owns_baseline(&self, i: usize) -> bool {
        self.owner[i] == i
    }
}

/// What makes two baseline programs the same program: the code after the
/// prologue (where only operand values differ), and the transaction's shape.
fn baseline_key(spec: &Spec) -> (usize, Vec<u8>, usize, usize) {
    let prologue = spec.prologue.pc();
    let code = spec.code(false);
    (prologue, code[prologue..].to_vec(), spec.access.len(), spec.calldata.len())
}
