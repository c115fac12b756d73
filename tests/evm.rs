//! The EVM group's own checks: the gas schedule against published figures,
//! that `verify` refuses a wrong prediction or a failed call, and that the
//! reference computations the contracts are checked against are not trivial.

use std::sync::Arc;

use ethbench::groups::evm::asm::{self, op, Asm};
use ethbench::groups::evm::block::{self, Kind};
use ethbench::groups::evm::contracts;
use ethbench::groups::evm::program::{self, Spec};
use ethbench::groups::evm::world::World;
use ethbench::Fixtures;

fn world() -> Arc<World> {
    let fx = Fixtures::open_default().unwrap_or_else(|e| panic!("{e}"));
    World::load(&fx).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn schedule_has_the_published_figures() {
    // Yellow Paper: memory cost 3 per word plus words²/512.
    assert_eq!(asm::memory_cost(32), 3);
    assert_eq!(asm::memory_cost(32 * 1024), 3 * 1024 + 2048);
    // EIP-2028 calldata, EIP-2930 access list.
    assert_eq!(asm::intrinsic_gas(&[0, 1], 1, 2), 21_000 + 4 + 16 + 2_400 + 2 * 1_900);
    assert_eq!(asm::static_gas(&[op::PUSH1, 0xff, op::PUSH0, op::ADD, op::JUMPDEST, op::STOP]), 3 + 2 + 3 + 1);
    assert_eq!(asm::static_cost(op::LOG2), 375 * 3);
}

#[test]
fn schedule_has_the_published_stack_effects() {
    // Yellow Paper, Appendix H: δ (items removed) and α (items added).
    let effect = |opcode| {
        let i = asm::instruction(opcode);
        (i.takes, i.returns)
    };
    assert_eq!(effect(op::ADD), (2, 1));
    assert_eq!(effect(op::ADDMOD), (3, 1));
    assert_eq!(effect(op::DUP1), (1, 2));
    assert_eq!(effect(op::DUP16), (16, 17));
    assert_eq!(effect(op::SWAP16), (17, 17));
    assert_eq!(effect(op::LOG4), (6, 0));
    assert_eq!(effect(op::CALL), (7, 1));
    assert_eq!(effect(op::DELEGATECALL), (6, 1));
    assert_eq!(effect(op::CREATE2), (4, 1));
    assert_eq!(effect(op::EXTCODECOPY), (4, 0));
    assert_eq!(effect(op::MCOPY), (3, 0));
    // A baseline replaces the opcode by what balances its effect.
    let code = |opcode, with_op| {
        let mut a = Asm::new();
        program::emit(&mut a, opcode, with_op);
        a.code
    };
    assert_eq!(code(op::CALL, false), vec![op::POP; 6]);
    assert_eq!(code(op::DUP3, false), vec![op::PUSH0]);
    assert!(code(op::SWAP2, false).is_empty());
    assert_eq!(code(op::MLOAD, true), vec![op::MLOAD]);
}

fn add_spec() -> Spec {
    let unit = Box::new(|a: &mut Asm, _: usize, with_op: bool| {
        a.ops(&[op::DUP3, op::DUP3]);
        program::emit(a, op::ADD, with_op);
        a.op(op::POP);
    });
    let mut spec = Spec::new("add_test", "ADD", op::ADD, 4, 8, unit);
    spec.prologue.push_u64(7).push_u64(9);
    spec
}

#[test]
fn a_program_and_its_baseline_differ_only_in_the_opcode() {
    let spec = add_spec();
    let (with, without) = (spec.code(true), spec.code(false));
    assert_eq!(with.len(), without.len(), "ADD and its one POP have the same length");
    let differing: Vec<usize> = (0..with.len()).filter(|&i| with[i] != without[i]).collect();
    assert_eq!(differing.len(), 8, "one byte per unit differs");
    assert!(differing.iter().all(|&i| with[i] == op::ADD && without[i] == op::POP));
    // ADD (3 gas) against POP (2 gas): one gas per op.
    assert_eq!(spec.predicted_gas(true) - spec.predicted_gas(false), spec.ops());
}

#[test]
fn verify_refuses_a_wrong_gas_prediction() {
    let world = world();
    let mut good = add_spec();
    program::workload(&world, "op", &mut good, true).verify().unwrap_or_else(|e| panic!("{e}"));
    let mut wrong = add_spec();
    wrong.dynamic_gas = 1;
    let e = program::workload(&world, "op", &mut wrong, true).verify().unwrap_err().to_string();
    assert!(e.contains("gas before refund"), "{e}");
}

#[test]
fn verify_refuses_a_failed_call() {
    let world = world();
    let unit = Box::new(|a: &mut Asm, _: usize, _: bool| {
        a.ops(&[op::PUSH0, op::PUSH0, op::REVERT]);
    });
    let mut spec = Spec::new("revert_test", "REVERT", op::REVERT, 1, 1, unit);
    let e = program::workload(&world, "op", &mut spec, true).verify().unwrap_err().to_string();
    assert!(e.contains("reverted"), "{e}");
}

#[test]
fn the_ray_tracer_reference_draws_a_lit_sphere() {
    let image = contracts::render_image(contracts::RAY_SIZE);
    let background = image.iter().filter(|&&p| p == 16).count();
    let lit = image.iter().filter(|&&p| p > 64).count();
    assert!(background > 0 && lit > 0, "{background} background and {lit} lit pixels");
    assert!(image.iter().collect::<std::collections::BTreeSet<_>>().len() > 20, "shading has many grey levels");
}

#[test]
fn the_keccak_chain_reference_is_a_chain() {
    assert_ne!(contracts::keccak_chain(1), contracts::keccak_chain(2));
    assert_eq!(contracts::keccak_chain(0), alloy_primitives::B256::ZERO);
}

#[test]
fn the_block_mixes_every_kind_of_transaction() {
    let world = world();
    let txs = block::transactions(&world);
    assert_eq!(txs.len(), block::TRANSACTIONS);
    let count = |f: fn(&Kind) -> bool| txs.iter().filter(|t| f(&t.kind)).count();
    let ether = count(|k| matches!(k, Kind::Ether { .. }));
    let tokens = count(|k| matches!(k, Kind::Token { .. }));
    let swaps = count(|k| matches!(k, Kind::Swap { .. }));
    assert!(ether >= 40 && tokens >= 60 && swaps >= 40, "{ether} ETH, {tokens} token, {swaps} swap transactions");
    let new_accounts = txs
        .iter()
        .filter(|t| matches!(t.kind, Kind::Ether { to, .. } if world.nonce(to) == 0 && world.balance(to).is_zero()))
        .count();
    assert!(new_accounts > 0, "some ETH goes to accounts that do not exist yet");
}
