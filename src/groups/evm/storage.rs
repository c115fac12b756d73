//! SLOAD and SSTORE by EIP-2929 / EIP-2200 / EIP-3529 case, with TLOAD and
//! TSTORE (EIP-1153) beside them (`evm/storage/*`), on the contract that
//! holds the fixture's 100k slots. Same generating rule as `evm/op/*`.

use alloy_primitives::{keccak256, B256, U256};

use super::asm::{self, op, Asm};
use super::exec::PROGRAM;
use super::opcodes::{dup_unit, key_word};
use super::program::{emit, PostCheck, Spec, Unit};
use super::world::World;
use revm::state::EvmState;

/// Distinct slots per straight-line program.
const COLD: usize = 1000;
const WRITES: usize = 200;

/// EIP-2200 / EIP-2929 figures, as named in the EIPs.
const SSTORE_SET: u64 = 20_000;
const SSTORE_RESET: u64 = 5_000 - 2_100;
const COLD_SLOAD: u64 = 2_100;
/// EIP-3529: clearing a slot refunds SSTORE_RESET + ACCESS_LIST_STORAGE_KEY.
const CLEARS_REFUND: u64 = 4_800;

/// A value other than `v`, nonzero.
fn other(v: U256) -> U256 {
    if v == U256::from(2) {
        U256::from(3)
    } else {
        U256::from(2)
    }
}

/// Straight-line SSTORE of `value(slot)` into each slot, or SLOAD when `store` is false.
fn straight(slots: Vec<(B256, U256)>, opcode: u8, value: fn(U256) -> U256) -> Unit {
    Box::new(move |a: &mut Asm, i, with_op| {
        let (key, current) = slots[i];
        if opcode == op::SSTORE {
            a.push(value(current)).push_b256(key);
            emit(a, op::SSTORE, with_op);
        } else {
            a.push_b256(key);
            emit(a, op::SLOAD, with_op);
            a.op(op::POP);
        }
    })
}

/// Every slot in `expect` holds its value in the post-state.
fn post(expect: Vec<(B256, U256)>) -> PostCheck {
    Box::new(move |state: &EvmState| {
        let account = state.get(&PROGRAM).ok_or("the program's account is not in the post-state")?;
        for (key, want) in &expect {
            let got = account.storage.get(&key_word(*key)).map(|s| s.present_value);
            if got != Some(*want) {
                return Err(format!("slot {key} holds {got:?} after the call, expected {want}"));
            }
        }
        Ok(())
    })
}

pub(crate) fn specs(world: &World) -> Vec<Spec> {
    let slots = &world.slots;
    let mut all = Vec::new();

    let (warm_key, warm_value) = slots[0];
    let mut s = Spec::new("sload_warm", "SLOAD of a slot in the access list", op::SLOAD, 256, 32, dup_unit(op::SLOAD));
    s.prologue.push_b256(warm_key);
    s.access = vec![(PROGRAM, vec![warm_key])];
    s.post = Some(post(vec![(warm_key, warm_value)]));
    all.push(s);

    let cold = slots[1..1 + COLD].to_vec();
    let mut s = Spec::new(
        "sload_cold",
        &format!("SLOAD of {COLD} distinct cold slots of a 100k-slot contract"),
        op::SLOAD,
        1,
        COLD,
        straight(cold.clone(), op::SLOAD, |v| v),
    );
    s.dynamic_gas = asm::COLD_SLOAD_EXTRA;
    s.post = Some(post(cold));
    all.push(s);

    let fresh: Vec<(B256, U256)> =
        (0..WRITES).map(|i| (keccak256(format!("ethbench/storage/empty/{i}")), U256::ZERO)).collect();
    let mut s = Spec::new(
        "sstore_zero_to_nonzero",
        &format!("SSTORE of 1 into {WRITES} empty cold slots"),
        op::SSTORE,
        1,
        WRITES,
        straight(fresh.clone(), op::SSTORE, |_| U256::from(1)),
    );
    s.dynamic_gas = COLD_SLOAD + SSTORE_SET - asm::static_cost(op::SSTORE);
    s.post = Some(post(fresh.iter().map(|&(k, _)| (k, U256::from(1))).collect()));
    all.push(s);

    let reset = slots[1 + COLD..1 + COLD + WRITES].to_vec();
    let mut s = Spec::new(
        "sstore_nonzero_to_nonzero",
        &format!("SSTORE of a new nonzero value into {WRITES} nonzero cold slots"),
        op::SSTORE,
        1,
        WRITES,
        straight(reset.clone(), op::SSTORE, other),
    );
    s.dynamic_gas = COLD_SLOAD + SSTORE_RESET - asm::static_cost(op::SSTORE);
    s.post = Some(post(reset.iter().map(|&(k, v)| (k, other(v))).collect()));
    all.push(s);

    let cleared = slots[1 + COLD + WRITES..1 + COLD + 2 * WRITES].to_vec();
    let mut s = Spec::new(
        "sstore_nonzero_to_zero",
        &format!("SSTORE of 0 into {WRITES} nonzero cold slots (refund)"),
        op::SSTORE,
        1,
        WRITES,
        straight(cleared.clone(), op::SSTORE, |_| U256::ZERO),
    );
    s.dynamic_gas = COLD_SLOAD + SSTORE_RESET - asm::static_cost(op::SSTORE);
    s.refund = WRITES as u64 * CLEARS_REFUND;
    s.post = Some(post(cleared.iter().map(|&(k, _)| (k, U256::ZERO)).collect()));
    all.push(s);

    let (noop_key, noop_value) = slots[1 + COLD + 2 * WRITES];
    let mut s = Spec::new(
        "sstore_noop",
        "SSTORE of the value a warm slot already holds",
        op::SSTORE,
        256,
        32,
        dup_unit(op::SSTORE),
    );
    s.prologue.push(noop_value).push_b256(noop_key);
    s.access = vec![(PROGRAM, vec![noop_key])];
    s.post = Some(post(vec![(noop_key, noop_value)]));
    all.push(s);

    // The prologue writes the slot once (warm, nonzero to nonzero); every
    // unit then rewrites the dirty slot with the remaining gas as value.
    let (dirty_key, dirty_value) = slots[2 + COLD + 2 * WRITES];
    let unit: Unit = Box::new(|a: &mut Asm, _, with_op| {
        a.ops(&[op::GAS, op::DUP3]);
        emit(a, op::SSTORE, with_op);
    });
    let mut s =
        Spec::new("sstore_dirty", "SSTORE into a slot already written in this transaction", op::SSTORE, 64, 32, unit);
    s.prologue.push(other(dirty_value)).push_b256(dirty_key).op(op::SSTORE).push_b256(dirty_key);
    s.prologue_gas = SSTORE_RESET - asm::static_cost(op::SSTORE);
    s.access = vec![(PROGRAM, vec![dirty_key])];
    s.post = Some(Box::new(move |state: &EvmState| {
        let slot = state.get(&PROGRAM).and_then(|a| a.storage.get(&key_word(dirty_key)));
        match slot {
            Some(s)
                if s.original_value == dirty_value && !s.present_value.is_zero() && s.present_value != dirty_value =>
            {
                Ok(())
            }
            other => Err(format!("dirty slot is {other:?}, expected a new nonzero value over {dirty_value}")),
        }
    }));
    all.push(s);

    let mut s = Spec::new("tload", "TLOAD of a transient slot (EIP-1153)", op::TLOAD, 256, 32, dup_unit(op::TLOAD));
    s.prologue.push_u64(1).push_u64(7).op(op::TSTORE).push_u64(7);
    all.push(s);
    let mut s =
        Spec::new("tstore", "TSTORE into a transient slot (EIP-1153)", op::TSTORE, 256, 32, dup_unit(op::TSTORE));
    s.prologue.push_u64(1).push_u64(7);
    all.push(s);
    all
}
