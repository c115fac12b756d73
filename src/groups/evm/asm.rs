//! A tiny assembler for generated programs, and the static gas schedule
//! (Yellow Paper Appendix G with EIP-2929, EIP-3855, EIP-5656, EIP-1153)
//! that predicts what each program must cost.
//!
//! The schedule is written out here rather than taken from revm, so a
//! program's `verify` compares revm's gas against an independent figure.

use alloy_primitives::{Address, B256, U256};
pub use revm::bytecode::opcode as op;

/// Bytecode under construction.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Asm {
    pub code: Vec<u8>,
}

impl Asm {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn pc(&self) -> usize {
        self.code.len()
    }

    pub fn op(&mut self, opcode: u8) -> &mut Self {
        self.code.push(opcode);
        self
    }

    pub fn ops(&mut self, opcodes: &[u8]) -> &mut Self {
        self.code.extend_from_slice(opcodes);
        self
    }

    /// The shortest PUSH of `value` (PUSH0 for zero).
    pub fn push(&mut self, value: U256) -> &mut Self {
        let bytes = value.to_be_bytes::<32>();
        let skip = bytes.iter().take_while(|&&b| b == 0).count();
        self.push_bytes(&bytes[skip..])
    }

    pub fn push_u64(&mut self, value: u64) -> &mut Self {
        self.push(U256::from(value))
    }

    /// PUSHn of exactly these bytes (PUSH0 when empty), so code layout
    /// does not depend on the value.
    pub(crate) fn push_bytes(&mut self, bytes: &[u8]) -> &mut Self {
        assert!(bytes.len() <= 32, "PUSH takes at most 32 bytes");
        if bytes.is_empty() {
            return self.op(op::PUSH0);
        }
        self.code.push(op::PUSH0 + bytes.len() as u8);
        self.code.extend_from_slice(bytes);
        self
    }

    pub(crate) fn push_address(&mut self, address: Address) -> &mut Self {
        self.push_bytes(address.as_slice())
    }

    pub(crate) fn push_b256(&mut self, word: B256) -> &mut Self {
        self.push_bytes(word.as_slice())
    }

    /// PUSH2 of a code offset, for jumps.
    pub(crate) fn push_label(&mut self, pc: usize) -> &mut Self {
        self.push_bytes(&(pc as u16).to_be_bytes())
    }

    pub fn extend(&mut self, other: &Asm) -> &mut Self {
        self.code.extend_from_slice(&other.code);
        self
    }
}

/// The static gas of every instruction in `code`, executed once each,
/// straight through (PUSH data skipped). Dynamic parts (memory expansion,
/// per-word and per-byte charges, cold surcharges above the warm cost,
/// calls' and creates' extra charges) are added by the caller.
pub fn static_gas(code: &[u8]) -> u64 {
    let mut gas = 0;
    let mut pc = 0;
    while pc < code.len() {
        let opcode = code[pc];
        gas += static_cost(opcode);
        pc += 1 + push_len(opcode);
    }
    gas
}

fn push_len(opcode: u8) -> usize {
    if (op::PUSH1..=op::PUSH32).contains(&opcode) {
        (opcode - op::PUSH0) as usize
    } else {
        0
    }
}

/// One instruction of the schedule: its static gas beside its stack effect,
/// so a program's predicted gas and its baseline's replacement come from
/// one row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Instruction {
    /// Gas before dynamic charges; account and storage access at the
    /// EIP-2929 warm figures.
    pub gas: u64,
    /// Values taken from the stack.
    pub takes: u8,
    /// Values pushed back.
    pub returns: u8,
}

/// Every instruction the generated programs use, one row each:
/// (opcode, static gas, values taken, values returned). PUSH1–32, DUP,
/// SWAP and LOG follow a rule, in [`instruction`].
#[rustfmt::skip]
const SCHEDULE: &[(u8, u64, u8, u8)] = &[
    (op::STOP, 0, 0, 0),            (op::RETURN, 0, 2, 0),         (op::REVERT, 0, 2, 0),
    (op::JUMPDEST, 1, 0, 0),
    (op::ADDRESS, 2, 0, 1),         (op::ORIGIN, 2, 0, 1),         (op::CALLER, 2, 0, 1),
    (op::CALLVALUE, 2, 0, 1),       (op::CALLDATASIZE, 2, 0, 1),   (op::CODESIZE, 2, 0, 1),
    (op::GASPRICE, 2, 0, 1),        (op::COINBASE, 2, 0, 1),       (op::TIMESTAMP, 2, 0, 1),
    (op::NUMBER, 2, 0, 1),          (op::DIFFICULTY, 2, 0, 1),     (op::GASLIMIT, 2, 0, 1),
    (op::CHAINID, 2, 0, 1),         (op::SELFBALANCE, 2, 0, 1),    (op::BASEFEE, 2, 0, 1),
    (op::BLOBBASEFEE, 2, 0, 1),     (op::PC, 2, 0, 1),             (op::MSIZE, 2, 0, 1),
    (op::GAS, 2, 0, 1),             (op::RETURNDATASIZE, 2, 0, 1), (op::PUSH0, 2, 0, 1),
    (op::POP, 2, 1, 0),
    (op::ADD, 3, 2, 1),             (op::SUB, 3, 2, 1),            (op::LT, 3, 2, 1),
    (op::GT, 3, 2, 1),              (op::SLT, 3, 2, 1),            (op::SGT, 3, 2, 1),
    (op::EQ, 3, 2, 1),              (op::AND, 3, 2, 1),            (op::OR, 3, 2, 1),
    (op::XOR, 3, 2, 1),             (op::BYTE, 3, 2, 1),           (op::SHL, 3, 2, 1),
    (op::SHR, 3, 2, 1),             (op::SAR, 3, 2, 1),            (op::ISZERO, 3, 1, 1),
    (op::NOT, 3, 1, 1),             (op::CALLDATALOAD, 3, 1, 1),   (op::MLOAD, 3, 1, 1),
    (op::MSTORE, 3, 2, 0),          (op::MSTORE8, 3, 2, 0),        (op::CALLDATACOPY, 3, 3, 0),
    (op::CODECOPY, 3, 3, 0),        (op::RETURNDATACOPY, 3, 3, 0), (op::MCOPY, 3, 3, 0),
    (op::MUL, 5, 2, 1),             (op::DIV, 5, 2, 1),            (op::SDIV, 5, 2, 1),
    (op::MOD, 5, 2, 1),             (op::SMOD, 5, 2, 1),           (op::SIGNEXTEND, 5, 2, 1),
    (op::CLZ, 5, 1, 1),
    (op::ADDMOD, 8, 3, 1),          (op::MULMOD, 8, 3, 1),         (op::JUMP, 8, 1, 0),
    (op::EXP, 10, 2, 1),            (op::JUMPI, 10, 2, 0),         (op::KECCAK256, 30, 2, 1),
    (op::BALANCE, 100, 1, 1),       (op::EXTCODESIZE, 100, 1, 1),  (op::EXTCODEHASH, 100, 1, 1),
    (op::EXTCODECOPY, 100, 4, 0),   (op::SLOAD, 100, 1, 1),        (op::TLOAD, 100, 1, 1),
    (op::TSTORE, 100, 2, 0),
    // The warm no-op write (EIP-2200's SLOAD_GAS); every other case is dynamic.
    (op::SSTORE, 100, 2, 0),
    (op::CALL, 100, 7, 1),          (op::CALLCODE, 100, 7, 1),     (op::STATICCALL, 100, 6, 1),
    (op::DELEGATECALL, 100, 6, 1),
    (op::CREATE, 32_000, 3, 1),     (op::CREATE2, 32_000, 4, 1),
];

/// The schedule's row for `opcode`. Panics on an opcode no generated
/// program uses: the schedule would have to be extended first.
pub fn instruction(opcode: u8) -> Instruction {
    let row = |gas, takes, returns| Instruction { gas, takes, returns };
    match opcode {
        op::PUSH1..=op::PUSH32 => row(3, 0, 1),
        op::DUP1..=op::DUP16 => row(3, opcode - op::DUP1 + 1, opcode - op::DUP1 + 2),
        op::SWAP1..=op::SWAP16 => row(3, opcode - op::SWAP1 + 2, opcode - op::SWAP1 + 2),
        op::LOG0..=op::LOG4 => {
            let topics = opcode - op::LOG0;
            row(375 * (1 + topics as u64), 2 + topics, 0)
        }
        _ => match SCHEDULE.iter().find(|(op, ..)| *op == opcode) {
            Some(&(_, gas, takes, returns)) => row(gas, takes, returns),
            None => panic!("no static gas for opcode {opcode:#04x} in this schedule"),
        },
    }
}

/// Gas of one instruction before dynamic charges.
pub fn static_cost(opcode: u8) -> u64 {
    instruction(opcode).gas
}

/// Words of `bytes`, rounded up.
pub fn words(bytes: u64) -> u64 {
    bytes.div_ceil(32)
}

/// Total memory cost of `bytes` of memory: 3 per word plus words²/512.
pub fn memory_cost(bytes: u64) -> u64 {
    let w = words(bytes);
    3 * w + w * w / 512
}

/// EIP-2929: a cold account or slot costs this much more than a warm one.
pub(crate) const COLD_ACCOUNT_EXTRA: u64 = 2_600 - 100;
pub(crate) const COLD_SLOAD_EXTRA: u64 = 2_100 - 100;

/// Intrinsic gas of a call transaction with this calldata and access list
/// (EIP-2028, EIP-2930).
pub fn intrinsic_gas(calldata: &[u8], access_addresses: u64, access_keys: u64) -> u64 {
    let zeros = calldata.iter().filter(|&&b| b == 0).count() as u64;
    let nonzeros = calldata.len() as u64 - zeros;
    21_000 + 4 * zeros + 16 * nonzeros + 2_400 * access_addresses + 1_900 * access_keys
}
