//! Generated programs: one opcode run many times, beside a baseline that
//! differs only in that opcode.
//!
//! The generating rule, which is what every `evm/op/*` and `evm/storage/*`
//! figure means:
//!
//! ```text
//! prologue            push the operands once, pre-expand memory, …
//! PUSH2 iters         loop counter, kept on top of the stack
//! loop: JUMPDEST
//!     unit × unroll   operands (DUPs of the prologue's values) OP POP…
//! PUSH1 1 SWAP1 SUB DUP1 PUSH2 loop JUMPI
//! POP STOP
//! ```
//!
//! Every unit is stack-balanced. The baseline program is the same code with
//! OP replaced by the cheapest instructions with the same stack effect: for
//! an opcode that takes `a` values and returns `b`, `a - b` POPs (or `b - a`
//! PUSH0s). So
//!
//! ```text
//! ns per op = (time(program) - time(baseline)) / ops
//! ```
//!
//! is the opcode's cost above POP (ADD, MLOAD, …) or above PUSH0 (CALLER,
//! DUP1, …), or its whole cost when the stack effect is nil (NOT, SWAP
//! pairs, JUMPDEST). The transaction's fixed cost, the loop and the operand
//! DUPs cancel out. Straight-line programs (`iters = 1`) are used where
//! each execution needs a different immediate: distinct cold addresses or
//! slots, CREATE2 salts, growing memory.

use std::sync::Arc;

use alloy_primitives::{Address, Bytes, B256};
use revm::state::EvmState;

use super::asm::{self, op, Asm};
use super::call::{self, Call};
use super::exec::{self, Installed, Outcome, OutcomeCheck, PROGRAM};
use super::world::World;
use crate::measure::workload::Workload;
use crate::measure::workload::{expect_eq, Throughput};

/// Builds unit `index` of a program, with the opcode under test (`true`) or its replacement.
pub(crate) type Unit = Box<dyn Fn(&mut Asm, usize, bool)>;
/// A check of the post-state of the program with the opcode.
pub(crate) type PostCheck = Box<dyn Fn(&EvmState) -> Result<(), String>>;

pub struct Spec {
    /// Last segment of the id: `add`, `sload_cold`.
    pub name: String,
    pub about: String,
    pub opcode: u8,
    pub prologue: Asm,
    pub iters: u16,
    pub unroll: usize,
    pub unit: Unit,
    /// Opcodes under test per unit (2 for SWAP pairs).
    pub ops_per_unit: u64,
    /// Gas each opcode execution costs beyond its static cost (cold
    /// surcharges, per-word charges, a callee's gas).
    pub dynamic_gas: u64,
    /// Gas the program with the opcode costs beyond that, once (memory it grows).
    pub dynamic_once: u64,
    /// Dynamic gas of the prologue, in both programs.
    pub prologue_gas: u64,
    /// Gas refunded (EIP-3529) by the program with the opcode, before the cap.
    pub refund: u64,
    pub access: Vec<(Address, Vec<B256>)>,
    pub calldata: Bytes,
    pub post: Option<PostCheck>,
}

impl Spec {
    /// A looped spec with no dynamic gas; callers set what differs.
    pub fn new(name: &str, about: &str, opcode: u8, iters: u16, unroll: usize, unit: Unit) -> Self {
        Self {
            name: name.to_owned(),
            about: about.to_owned(),
            opcode,
            prologue: Asm::new(),
            iters,
            unroll,
            unit,
            ops_per_unit: 1,
            dynamic_gas: 0,
            dynamic_once: 0,
            prologue_gas: 0,
            refund: 0,
            access: Vec::new(),
            calldata: Bytes::new(),
            post: None,
        }
    }

    pub fn ops(&self) -> u64 {
        self.iters as u64 * self.unroll as u64 * self.ops_per_unit
    }

    /// The program's code, with the opcode under test or with its replacement.
    pub fn code(&self, with_op: bool) -> Vec<u8> {
        let mut a = Asm::new();
        a.extend(&self.prologue).push_bytes(&self.iters.to_be_bytes());
        let top = a.pc();
        a.op(op::JUMPDEST);
        for i in 0..self.unroll {
            (self.unit)(&mut a, i, with_op);
        }
        a.push_u64(1).ops(&[op::SWAP1, op::SUB, op::DUP1]).push_label(top).op(op::JUMPI);
        a.ops(&[op::POP, op::STOP]);
        a.code
    }

    /// What the schedule says the program costs, before refunds.
    pub fn predicted_gas(&self, with_op: bool) -> u64 {
        let code = self.code(with_op);
        let prologue_len = self.prologue.pc() + 3;
        let tail_len = 2;
        let once = asm::static_gas(&code[..prologue_len]) + asm::static_gas(&code[code.len() - tail_len..]);
        let body = asm::static_gas(&code[prologue_len..code.len() - tail_len]);
        let keys: usize = self.access.iter().map(|(_, k)| k.len()).sum();
        let mut gas = asm::intrinsic_gas(&self.calldata, self.access.len() as u64, keys as u64)
            + once
            + self.iters as u64 * body
            + self.prologue_gas;
        if with_op {
            gas += self.ops() * self.dynamic_gas + self.dynamic_once;
        }
        gas
    }

    /// Gas of one execution of the opcode under test.
    pub(crate) fn gas_per_op(&self) -> f64 {
        (asm::static_cost(self.opcode) + self.dynamic_gas) as f64 + self.dynamic_once as f64 / self.ops() as f64
    }
}

/// The workload timing `spec`'s program (`evm/<section>/<name>`, or the
/// baseline `evm/baseline/<name>` when `with_op` is false). `verify` needs
/// success, the predicted gas and refund, and the post-state check.
pub fn workload(world: &Arc<World>, section: &str, spec: &mut Spec, with_op: bool) -> Box<dyn Workload> {
    let code = vec![(PROGRAM, Installed::new(spec.code(with_op)))];
    let call = Call::new(world, code, exec::call_tx(PROGRAM, spec.calldata.clone(), spec.access.clone()));
    let want_gas = spec.predicted_gas(with_op);
    // EIP-3529: the refund is capped at a fifth of the gas used.
    let want_refund = if with_op { spec.refund } else { 0 }.min(want_gas / 5);
    let post = if with_op { spec.post.take() } else { None };
    let check: OutcomeCheck = Box::new(move |outcome: &Outcome| {
        let gas = outcome.result.gas();
        expect_eq("gas before refund", gas.total_gas_spent(), want_gas)?;
        expect_eq("refund", gas.inner_refunded(), want_refund)?;
        post.as_ref().map_or(Ok(()), |post| post(&outcome.state))
    });
    let (id, about) = if with_op {
        (format!("evm/{section}/{}", spec.name), format!("{} ({} per call)", spec.about, spec.ops()))
    } else {
        (
            format!("evm/baseline/{}", spec.name),
            format!("the {} program with the opcode replaced by {}", spec.name, replacement_name(spec)),
        )
    };
    call::call_case(id, about, Throughput::Elements(spec.ops()), call, check)
}

fn replacement_name(spec: &Spec) -> String {
    match replacement(spec.opcode) {
        (0, 0) => "nothing".to_owned(),
        (pops, 0) => format!("{pops} POP"),
        (_, pushes) => format!("{pushes} PUSH0"),
    }
}

/// What replaces `opcode` in a baseline: (POPs, PUSH0s), from its stack
/// effect in the schedule's table ([`asm::instruction`]).
fn replacement(opcode: u8) -> (usize, usize) {
    let asm::Instruction { takes, returns, .. } = asm::instruction(opcode);
    ((takes.saturating_sub(returns)) as usize, (returns.saturating_sub(takes)) as usize)
}

/// The opcode, or the instructions with its stack effect (see the module docs).
pub fn emit(a: &mut Asm, opcode: u8, with_op: bool) {
    if with_op {
        a.op(opcode);
    } else {
        let (pops, pushes) = replacement(opcode);
        a.ops(&vec![op::POP; pops]).ops(&vec![op::PUSH0; pushes]);
    }
}
