//! Per-opcode programs (`evm/op/*`), built by the rule in [`super::program`].
//!
//! Operands are fixed 256-bit values, so arithmetic takes its general path:
//! `A` is a full-width word, `B` a 128-bit one (nonzero, so DIV and MOD
//! divide).

use alloy_primitives::{keccak256, Address, Bytes, B256, U256};

use super::asm::{self, op, Asm};
use super::program::{emit, Spec, Unit};
use super::world::World;

fn word(tag: &str) -> U256 {
    U256::from_be_bytes(keccak256(tag).0)
}

pub fn a() -> U256 {
    word("ethbench/operand/a")
}

pub fn b() -> U256 {
    word("ethbench/operand/b") >> 128
}

/// Iterations × unroll for cheap opcodes: 8192 executions per call.
const ITERS: u16 = 256;
const UNROLL: usize = 32;

/// An empty account (no code, no balance) that calls can target.
pub(crate) const EMPTY: Address = Address::new([0xee; 20]);
/// The identity precompile.
pub(crate) const IDENTITY: Address = Address::with_last_byte(4);

/// `opcode` taking `args` operands, pushed once in the prologue (first
/// argument on top) and DUPed by every unit; its results are popped.
fn stack_op(name: &str, about: &str, opcode: u8, args: &[U256]) -> Spec {
    assert_eq!(args.len(), asm::instruction(opcode).takes as usize, "{name}: one operand per value the opcode takes");
    let mut spec = Spec::new(name, about, opcode, ITERS, UNROLL, dup_unit(opcode));
    for v in args.iter().rev() {
        spec.prologue.push(*v);
    }
    spec
}

/// DUPs that copy the prologue's operands above the loop counter (one per
/// value the opcode takes), then the opcode (or its replacement), then POPs
/// of its results.
pub(super) fn dup_unit(opcode: u8) -> Unit {
    let asm::Instruction { takes: n, returns, .. } = asm::instruction(opcode);
    Box::new(move |a: &mut Asm, _, with_op| {
        for _ in 0..n {
            a.op(op::DUP1 + n);
        }
        emit(a, opcode, with_op);
        for _ in 0..returns {
            a.op(op::POP);
        }
    })
}

/// A unit of fixed instructions around the opcode: `before`, the opcode, `after`.
fn fixed_unit(before: Vec<u8>, opcode: u8, after: Vec<u8>) -> Unit {
    Box::new(move |a: &mut Asm, _, with_op| {
        a.ops(&before);
        emit(a, opcode, with_op);
        a.ops(&after);
    })
}

/// Pre-expand memory to `bytes` in the prologue; returns its gas.
fn touch_memory(spec: &mut Spec, bytes: u64) {
    spec.prologue.push_u64(1).push_u64(bytes - 32).op(op::MSTORE);
    spec.prologue_gas += asm::memory_cost(bytes);
}

fn push(bytes: &[u8]) -> Vec<u8> {
    let mut a = Asm::new();
    a.push_bytes(bytes);
    a.code
}

pub(crate) fn specs(world: &World) -> Vec<Spec> {
    let (a, b) = (a(), b());
    let mut all = Vec::new();
    let arith: [(&str, u8); 6] =
        [("add", op::ADD), ("mul", op::MUL), ("sub", op::SUB), ("div", op::DIV), ("sdiv", op::SDIV), ("mod", op::MOD)];
    for (name, opcode) in arith {
        all.push(stack_op(name, &format!("{} of a 256-bit and a 128-bit word", name.to_uppercase()), opcode, &[a, b]));
    }
    for (name, opcode) in [("addmod", op::ADDMOD), ("mulmod", op::MULMOD)] {
        all.push(stack_op(
            name,
            &format!("{} of two words modulo a 128-bit word", name.to_uppercase()),
            opcode,
            &[a, a, b],
        ));
    }
    let mut exp = stack_op("exp_small", "EXP with a 1-byte exponent", op::EXP, &[a, U256::from(3)]);
    exp.dynamic_gas = 50;
    all.push(exp);
    let mut exp = stack_op("exp_large", "EXP with a 32-byte exponent", op::EXP, &[b, a | (U256::from(1) << 255)]);
    exp.dynamic_gas = 50 * 32;
    all.push(exp);
    for (name, opcode) in
        [("lt", op::LT), ("gt", op::GT), ("eq", op::EQ), ("and", op::AND), ("or", op::OR), ("xor", op::XOR)]
    {
        all.push(stack_op(name, &format!("{} of two words", name.to_uppercase()), opcode, &[a, b]));
    }
    all.push(stack_op("iszero", "ISZERO of a word", op::ISZERO, &[a]));
    all.push(stack_op("not", "NOT of a word", op::NOT, &[a]));
    for (name, opcode) in [("shl", op::SHL), ("shr", op::SHR), ("sar", op::SAR)] {
        all.push(stack_op(
            name,
            &format!("{} of a word by 17 bits", name.to_uppercase()),
            opcode,
            &[U256::from(17), a],
        ));
    }
    all.push(stack_op("byte", "BYTE 7 of a word", op::BYTE, &[U256::from(7), a]));
    all.push(stack_op("signextend", "SIGNEXTEND from byte 15", op::SIGNEXTEND, &[U256::from(15), a]));
    all.push(stack_op("clz", "CLZ of a 128-bit word (EIP-7939)", op::CLZ, &[b]));

    for size in [32u64, 256, 4096] {
        let label = if size >= 1024 { format!("{}kib", size / 1024) } else { format!("{size}b") };
        let mut s = stack_op(
            &format!("keccak256_{label}"),
            &format!("KECCAK256 of {size} bytes of memory"),
            op::KECCAK256,
            &[U256::ZERO, U256::from(size)],
        );
        if size >= 1024 {
            (s.iters, s.unroll) = (64, 16);
        }
        s.dynamic_gas = 6 * asm::words(size);
        touch_memory(&mut s, 4096);
        all.push(s);
    }

    all.push(Spec::new("push1", "PUSH1 (vs PUSH0)", op::PUSH1, ITERS, UNROLL, pushed(&[0x2a])));
    all.push(Spec::new("push32", "PUSH32 (vs PUSH0)", op::PUSH32, ITERS, UNROLL, pushed(&a.to_be_bytes::<32>())));
    let mut s =
        Spec::new("dup1", "DUP1 (vs PUSH0)", op::DUP1, ITERS, UNROLL, fixed_unit(vec![], op::DUP1, vec![op::POP]));
    s.prologue.push(a);
    all.push(s);
    let mut s =
        Spec::new("dup16", "DUP16 (vs PUSH0)", op::DUP16, ITERS, UNROLL, fixed_unit(vec![], op::DUP16, vec![op::POP]));
    for i in 0..15u64 {
        s.prologue.push(a ^ U256::from(i));
    }
    all.push(s);
    for (name, opcode, depth) in [("swap1", op::SWAP1, 1u64), ("swap16", op::SWAP16, 16)] {
        let unit: Unit = Box::new(move |a: &mut Asm, _, with_op| {
            emit(a, opcode, with_op);
            emit(a, opcode, with_op);
        });
        let mut s = Spec::new(
            name,
            &format!("{} (pairs, so the loop counter stays on top)", name.to_uppercase()),
            opcode,
            ITERS,
            UNROLL,
            unit,
        );
        s.ops_per_unit = 2;
        for i in 0..depth {
            s.prologue.push(a ^ U256::from(i));
        }
        all.push(s);
    }
    let mut s = Spec::new(
        "pop",
        "POP of a PUSH0 (the pair vs nothing)",
        op::POP,
        ITERS,
        UNROLL,
        Box::new(|a: &mut Asm, _, with_op| {
            if with_op {
                a.ops(&[op::PUSH0, op::POP]);
            }
        }),
    );
    s.ops_per_unit = 1;
    all.push(s);

    let mut s = Spec::new(
        "mload",
        "MLOAD of a word in allocated memory",
        op::MLOAD,
        ITERS,
        UNROLL,
        fixed_unit(vec![op::PUSH0], op::MLOAD, vec![op::POP]),
    );
    touch_memory(&mut s, 32);
    all.push(s);
    for (name, opcode) in [("mstore", op::MSTORE), ("mstore8", op::MSTORE8)] {
        let mut s = Spec::new(
            name,
            &format!("{} into allocated memory", name.to_uppercase()),
            opcode,
            ITERS,
            UNROLL,
            fixed_unit(vec![op::DUP2, op::PUSH0], opcode, vec![]),
        );
        s.prologue.push(a);
        touch_memory(&mut s, 32);
        all.push(s);
    }
    for size in [32u64, 1024] {
        let label = if size >= 1024 { "1kib".to_owned() } else { format!("{size}b") };
        // Operands: dst (top), src, size.
        let before = [push(&(size as u16).to_be_bytes()), push(&[]), push(&(size as u16).to_be_bytes())].concat();
        let mut s = Spec::new(
            &format!("mcopy_{label}"),
            &format!("MCOPY of {size} bytes (EIP-5656)"),
            op::MCOPY,
            ITERS,
            UNROLL,
            fixed_unit(before, op::MCOPY, vec![]),
        );
        if size >= 1024 {
            (s.iters, s.unroll) = (64, 32);
        }
        s.dynamic_gas = 3 * asm::words(size);
        touch_memory(&mut s, 2 * size);
        all.push(s);
    }
    // Each MLOAD touches the next word, growing memory by 32 bytes.
    let grow = 2048;
    let mut s = Spec::new(
        "mload_expanding",
        "MLOAD one word past the end of memory (expansion included)",
        op::MLOAD,
        1,
        grow,
        Box::new(|a: &mut Asm, i, with_op| {
            a.push_bytes(&(32 * i as u32).to_be_bytes()[1..]);
            emit(a, op::MLOAD, with_op);
            a.op(op::POP);
        }),
    );
    s.dynamic_once = asm::memory_cost(32 * grow as u64);
    all.push(s);

    all.push(Spec::new(
        "jump",
        "JUMP to the next JUMPDEST",
        op::JUMP,
        ITERS,
        UNROLL,
        Box::new(|a: &mut Asm, _, with_op| {
            let dest = a.pc() + 4;
            a.push_label(dest);
            emit(a, op::JUMP, with_op);
            a.op(op::JUMPDEST);
        }),
    ));
    all.push(Spec::new(
        "jumpi",
        "JUMPI taken to the next JUMPDEST",
        op::JUMPI,
        ITERS,
        UNROLL,
        Box::new(|a: &mut Asm, _, with_op| {
            a.push_u64(1);
            let dest = a.pc() + 4;
            a.push_label(dest);
            emit(a, op::JUMPI, with_op);
            a.op(op::JUMPDEST);
        }),
    ));
    all.push(Spec::new(
        "jumpdest",
        "JUMPDEST (vs nothing)",
        op::JUMPDEST,
        ITERS,
        UNROLL,
        fixed_unit(vec![], op::JUMPDEST, vec![]),
    ));

    let mut s = Spec::new(
        "calldataload",
        "CALLDATALOAD of a word",
        op::CALLDATALOAD,
        ITERS,
        UNROLL,
        fixed_unit(vec![op::PUSH0], op::CALLDATALOAD, vec![op::POP]),
    );
    s.calldata = Bytes::copy_from_slice(&a.to_be_bytes::<32>());
    all.push(s);
    for (name, opcode) in [("caller", op::CALLER), ("address", op::ADDRESS), ("callvalue", op::CALLVALUE)] {
        all.push(Spec::new(
            name,
            &format!("{} (vs PUSH0)", name.to_uppercase()),
            opcode,
            ITERS,
            UNROLL,
            fixed_unit(vec![], opcode, vec![op::POP]),
        ));
    }

    all.extend(account_access(world));
    all.extend(logs());
    all.extend(calls());
    all.extend(creates());
    all
}

fn pushed(bytes: &[u8]) -> Unit {
    let bytes = bytes.to_vec();
    Box::new(move |a: &mut Asm, _, with_op| {
        if with_op {
            a.push_bytes(&bytes);
        } else {
            a.op(op::PUSH0);
        }
        a.op(op::POP);
    })
}

/// BALANCE, EXTCODESIZE and EXTCODEHASH, warm (one address in the access
/// list, looped) and cold (distinct fixture accounts, straight-line).
fn account_access(world: &World) -> Vec<Spec> {
    let mut all = Vec::new();
    let eoa = world.accounts[0];
    let contract = world.contracts[0];
    let cases = [
        ("balance", op::BALANCE, eoa, &world.accounts[1..1001]),
        ("extcodesize", op::EXTCODESIZE, contract, &world.contracts[1..301]),
        ("extcodehash", op::EXTCODEHASH, contract, &world.contracts[1..301]),
    ];
    for (name, opcode, warm, cold) in cases {
        let what = if opcode == op::BALANCE { "an account" } else { "a contract" };
        let mut s = Spec::new(
            &format!("{name}_warm"),
            &format!("{} of {what} in the access list", name.to_uppercase()),
            opcode,
            ITERS,
            UNROLL,
            fixed_unit(vec![op::DUP2], opcode, vec![op::POP]),
        );
        s.prologue.push_address(warm);
        s.access = vec![(warm, vec![])];
        all.push(s);
        let cold: Vec<Address> = cold.to_vec();
        let n = cold.len();
        let mut s = Spec::new(
            &format!("{name}_cold"),
            &format!(
                "{} of {n} distinct {}s, each cold (EIP-2929)",
                name.to_uppercase(),
                what.trim_start_matches("an ").trim_start_matches("a ")
            ),
            opcode,
            1,
            n,
            Box::new(move |a: &mut Asm, i, with_op| {
                a.push_address(cold[i]);
                emit(a, opcode, with_op);
                a.op(op::POP);
            }),
        );
        s.dynamic_gas = asm::COLD_ACCOUNT_EXTRA;
        all.push(s);
    }
    all
}

/// LOG0..LOG4 of 32 bytes, topics DUPed from one prologue word.
fn logs() -> Vec<Spec> {
    (0..=4u8)
        .map(|topics| {
            let opcode = op::LOG0 + topics;
            let unit: Unit = Box::new(move |a: &mut Asm, _, with_op| {
                for j in 0..topics {
                    a.op(op::DUP2 + j);
                }
                a.push_u64(32).op(op::PUSH0);
                emit(a, opcode, with_op);
            });
            let mut s = Spec::new(&format!("log{topics}"), &format!("LOG{topics} of 32 bytes"), opcode, 64, 16, unit);
            s.prologue.push(a());
            s.dynamic_gas = 8 * 32;
            touch_memory(&mut s, 32);
            s
        })
        .collect()
}

/// CALL, STATICCALL and DELEGATECALL with all gas, to an empty account (in
/// the access list) and to the identity precompile with a 32-byte input.
fn calls() -> Vec<Spec> {
    let mut all = Vec::new();
    for (name, opcode, value_arg) in
        [("call", op::CALL, true), ("staticcall", op::STATICCALL, false), ("delegatecall", op::DELEGATECALL, false)]
    {
        for (target, to, io) in [("empty", EMPTY, 0u8), ("identity", IDENTITY, 32)] {
            // retSize retOffset argsSize argsOffset [value] address gas
            let mut before = Asm::new();
            before.push_bytes(if io > 0 { &[32][..] } else { &[] }).op(op::PUSH0);
            before.push_bytes(if io > 0 { &[32][..] } else { &[] }).op(op::PUSH0);
            if value_arg {
                before.op(op::PUSH0);
            }
            before.push_address(to).op(op::GAS);
            let about = match target {
                "empty" => format!("{} to an empty account in the access list", name.to_uppercase()),
                _ => format!("{} to the identity precompile, 32 bytes in and out", name.to_uppercase()),
            };
            let mut s = Spec::new(
                &format!("{name}_{target}"),
                &about,
                opcode,
                64,
                16,
                fixed_unit(before.code, opcode, vec![op::POP]),
            );
            if target == "empty" {
                s.access = vec![(EMPTY, vec![])];
            } else {
                // Identity: 15 + 3 per word.
                s.dynamic_gas = 15 + 3;
                touch_memory(&mut s, 32);
            }
            all.push(s);
        }
    }
    all
}

/// CREATE and CREATE2 of an empty contract (no initcode): straight-line,
/// CREATE2 with a distinct salt each.
fn creates() -> Vec<Spec> {
    let n = 200;
    let create = Spec::new(
        "create_empty",
        "CREATE of an account with empty initcode",
        op::CREATE,
        1,
        n,
        fixed_unit(vec![op::PUSH0, op::PUSH0, op::PUSH0], op::CREATE, vec![op::POP]),
    );
    let create2 = Spec::new(
        "create2_empty",
        "CREATE2 of an account with empty initcode, distinct salts",
        op::CREATE2,
        1,
        n,
        Box::new(|a: &mut Asm, i, with_op| {
            a.push_bytes(&(i as u16 + 1).to_be_bytes()).ops(&[op::PUSH0, op::PUSH0, op::PUSH0]);
            emit(a, op::CREATE2, with_op);
            a.op(op::POP);
        }),
    );
    vec![create, create2]
}

/// A word for a B256 key.
pub(crate) fn key_word(key: B256) -> U256 {
    U256::from_be_bytes(key.0)
}
