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
    pub fn push_bytes(&mut self, bytes: &[u8]) -> &mut Self {
        assert!(bytes.len() <= 32, "PUSH takes at most 32 bytes");
        if bytes.is_empty() {
            return self.op(op::PUSH0);
        }
        self.code.push(op::PUSH0 + bytes.len() as u8);
        self.code.extend_from_slice(bytes);
        self
    }

    pub fn push_address(&mut self, address: Address) -> &mut Self {
        self.push_bytes(address.as_slice())
    }

    pub fn push_b256(&mut self, word: B256) -> &mut Self {
        self.push_bytes(word.as_slice())
    }

    /// PUSH2 of a code offset, for jumps.
    pub fn push_label(&mut self, pc: usize) -> &mut Self {
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

/// Gas of one instruction before dynamic charges. Account and storage
/// access costs are the EIP-2929 warm figures.
pub fn static_cost(opcode: u8) -> u64 {
    match opcode {
        op::STOP | op::RETURN | op::REVERT => 0,
        op::JUMPDEST => 1,
        op::ADDRESS
        | op::ORIGIN
        | op::CALLER
        | op::CALLVALUE
        | op::CALLDATASIZE
        | op::CODESIZE
        | op::GASPRICE
        | op::COINBASE
        | op::TIMESTAMP
        | op::NUMBER
        | op::DIFFICULTY
        | op::GASLIMIT
        | op::CHAINID
        | op::SELFBALANCE
        | op::BASEFEE
        | op::BLOBBASEFEE
        | op::POP
        | op::PC
        | op::MSIZE
        | op::GAS
        | op::RETURNDATASIZE
        | op::PUSH0 => 2,
        op::ADD
        | op::SUB
        | op::LT
        | op::GT
        | op::SLT
        | op::SGT
        | op::EQ
        | op::ISZERO
        | op::AND
        | op::OR
        | op::XOR
        | op::NOT
        | op::BYTE
        | op::SHL
        | op::SHR
        | op::SAR
        | op::CALLDATALOAD
        | op::MLOAD
        | op::MSTORE
        | op::MSTORE8
        | op::CALLDATACOPY
        | op::CODECOPY
        | op::RETURNDATACOPY
        | op::MCOPY => 3,
        op::PUSH1..=op::PUSH32 | op::DUP1..=op::DUP16 | op::SWAP1..=op::SWAP16 => 3,
        op::MUL | op::DIV | op::SDIV | op::MOD | op::SMOD | op::SIGNEXTEND | op::CLZ => 5,
        op::ADDMOD | op::MULMOD | op::JUMP => 8,
        op::EXP | op::JUMPI => 10,
        op::KECCAK256 => 30,
        op::BALANCE | op::EXTCODESIZE | op::EXTCODEHASH | op::EXTCODECOPY | op::SLOAD | op::TLOAD | op::TSTORE => 100,
        // The warm no-op write (EIP-2200's SLOAD_GAS); every other case is dynamic.
        op::SSTORE => 100,
        op::CALL | op::STATICCALL | op::DELEGATECALL | op::CALLCODE => 100,
        op::LOG0..=op::LOG4 => 375 * (1 + (opcode - op::LOG0) as u64),
        op::CREATE | op::CREATE2 => 32_000,
        other => panic!("no static gas for opcode {other:#04x} in this schedule"),
    }
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
pub const COLD_ACCOUNT_EXTRA: u64 = 2_600 - 100;
pub const COLD_SLOAD_EXTRA: u64 = 2_100 - 100;

/// Intrinsic gas of a call transaction with this calldata and access list
/// (EIP-2028, EIP-2930).
pub fn intrinsic_gas(calldata: &[u8], access_addresses: u64, access_keys: u64) -> u64 {
    let zeros = calldata.iter().filter(|&&b| b == 0).count() as u64;
    let nonzeros = calldata.len() as u64 - zeros;
    21_000 + 4 * zeros + 16 * nonzeros + 2_400 * access_addresses + 1_900 * access_keys
}
