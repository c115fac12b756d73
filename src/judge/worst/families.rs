//! The parametric families the search explores. A family has variants (an
//! opcode, a precompile input's shape) and one size per variant (bytes,
//! exponent bytes, pairs, rounds); each point builds a program whose loop
//! repeats one operation until the gas budget is spent.
//!
//! Precompile inputs are the committed vectors' own (repeated, or with a
//! field changed), so every call is a valid one that does the full work.

use super::program;
use crate::data::Fixtures;
use crate::data::{self, PrecompileVector};
use crate::groups::evm::asm::{op, Asm};
use crate::judge::pricing::Kind;
use crate::measure::error::Error;

/// One point's program, before the loop is put around the body.
pub(crate) struct Parts {
    pub setup: Asm,
    pub body: Asm,
    pub calldata: Vec<u8>,
}

impl Parts {
    fn body(body: Asm) -> Self {
        Parts { setup: Asm::new(), body, calldata: Vec::new() }
    }

    pub(crate) fn looped(&self, margin: u64) -> Vec<u8> {
        program::looped(&self.setup, &self.body, margin)
    }

    pub fn once(&self) -> Vec<u8> {
        program::once(&self.setup, &self.body)
    }

    pub(crate) fn setup_only(&self) -> Vec<u8> {
        program::once(&self.setup, &Asm::new())
    }
}

type Build = Box<dyn Fn(u64) -> Parts>;

pub struct Variant {
    pub name: String,
    /// The sizes tried first; refinement looks between them.
    pub grid: Vec<u64>,
    pub min: u64,
    pub max: u64,
    pub(crate) build: Build,
}

pub struct Family {
    pub name: &'static str,
    pub about: &'static str,
    /// What a variant's size counts: `bytes`, `pairs`, `rounds`, or "" when it has none.
    pub unit: &'static str,
    pub kind: Kind,
    pub variants: Vec<Variant>,
}

fn variant(
    name: impl Into<String>,
    grid: &[u64],
    min: u64,
    max: u64,
    build: impl Fn(u64) -> Parts + 'static,
) -> Variant {
    Variant { name: name.into(), grid: grid.to_vec(), min, max, build: Box::new(build) }
}

const BYTES: [u64; 8] = [1, 32, 136, 256, 1024, 4096, 16384, 32768];

/// Every family, its precompile inputs taken from the vectors in `fx`.
pub fn all(fx: &Fixtures) -> Result<Vec<Family>, Error> {
    let vectors: Vec<PrecompileVector> = fx.json(data::PRECOMPILE_VECTORS)?;
    let input = |id: &str| -> Result<(u64, Vec<u8>), Error> {
        let v = vectors.iter().find(|v| v.id == id).ok_or_else(|| Error::Input {
            path: data::PRECOMPILE_VECTORS.into(),
            problem: format!("has no vector `{id}`, which the worst-case search builds on"),
        })?;
        Ok((v.address, v.input.to_vec()))
    };
    let mut families = vec![keccak(), exp(), copies(), memory(), logs(), accounts(), storage()];
    families.push(modexp());
    let mut hashes = Vec::new();
    for (name, id) in [("SHA256", "sha256/32b"), ("RIPEMD160", "ripemd160/32b"), ("IDENTITY", "identity/32b")] {
        let (address, _) = input(id)?;
        hashes.push(variant(name, &[0, 1, 32, 64, 256, 1024, 4096, 16384], 0, 65536, move |size| {
            precompile_call(address, vec![0x5a; size as usize], 32)
        }));
    }
    families.push(Family {
        name: "hash_precompiles",
        about: "SHA-256, RIPEMD-160 and the identity precompile by input size",
        unit: "bytes",
        kind: Kind::Precompile,
        variants: hashes,
    });
    let (address, blake) = input("blake2f/12_rounds")?;
    families.push(Family {
        name: "blake2f",
        about: "BLAKE2F (EIP-152) by rounds: 1 gas a round, so few rounds are mostly the call",
        unit: "rounds",
        kind: Kind::Precompile,
        variants: vec![variant("BLAKE2F", &[1, 12, 64, 512, 4096, 32768, 262_144], 0, 1 << 24, move |rounds| {
            let mut data = blake.clone();
            data[..4].copy_from_slice(&(rounds as u32).to_be_bytes());
            precompile_call(address, data, 64)
        })],
    });
    let repeated =
        |name: &'static str, about: &'static str, vector: &str, element: usize, grid: &[u64], max: u64, out: u64| {
            input(vector).map(|(address, data)| {
                let one = data[..element].to_vec();
                Family {
                    name,
                    about,
                    unit: "pairs",
                    kind: Kind::Precompile,
                    variants: vec![variant(name, grid, 1, max, move |k| {
                        precompile_call(address, one.repeat(k as usize), out)
                    })],
                }
            })
        };
    families.push(repeated(
        "bn254_pairing",
        "BN254 pairing check (EIP-197) by pairs: the vector's first pair repeated",
        "bn254_pairing/2_pairs",
        192,
        &[1, 2, 4, 8, 16],
        64,
        32,
    )?);
    families.push(repeated(
        "bls12_g1msm",
        "BLS12-381 G1 MSM (EIP-2537) by pairs: the vector's pair repeated",
        "bls12_g1msm/1_pair",
        160,
        &[1, 2, 4, 8, 16, 32, 64, 128],
        512,
        128,
    )?);
    families.push(repeated(
        "bls12_g2msm",
        "BLS12-381 G2 MSM (EIP-2537) by pairs: the vector's pair repeated",
        "bls12_g2msm/1_pair",
        288,
        &[1, 2, 4, 8, 16, 32, 64, 128],
        512,
        256,
    )?);
    families.push(repeated(
        "bls12_pairing",
        "BLS12-381 pairing check (EIP-2537) by pairs: the vector's first pair repeated",
        "bls12_pairing/2_pairs",
        384,
        &[1, 2, 4, 8, 16],
        64,
        32,
    )?);
    let mut fixed = Vec::new();
    for id in [
        "kzg_point_evaluation/valid",
        "p256verify/valid",
        "ecrecover/valid_key",
        "bn254_add/chfast1",
        "bn254_mul/cdetrio1",
        "bls12_g1add/g1_plus_g1",
        "bls12_g2add/g2_plus_g2",
        "bls12_map_fp_to_g1/matter_0",
        "bls12_map_fp2_to_g2/matter_0",
    ] {
        let (address, data) = input(id)?;
        fixed.push(variant(id, &[0], 0, 0, move |_| precompile_call(address, data.clone(), 64)));
    }
    families.push(Family {
        name: "precompile_fixed",
        about: "precompiles whose price has no size: point evaluation, P-256, ecrecover, BN254 add and mul, BLS12-381 add and maps",
        unit: "",
        kind: Kind::Precompile,
        variants: fixed,
    });
    Ok(families)
}

/// `data` in memory once (from calldata), then STATICCALL of `address` on
/// it in the loop, `out` bytes of output kept after the input.
fn precompile_call(address: u64, data: Vec<u8>, out: u64) -> Parts {
    let mut setup = Asm::new();
    setup.op(op::CALLDATASIZE).op(op::PUSH0).op(op::PUSH0).op(op::CALLDATACOPY);
    let len = data.len() as u64;
    let mut body = Asm::new();
    // STATICCALL(gas, address, argsOffset, argsSize, retOffset, retSize)
    body.push_u64(out).push_u64(len.div_ceil(32) * 32).push_u64(len).op(op::PUSH0).push_u64(address);
    body.op(op::GAS).op(op::STATICCALL).op(op::POP);
    Parts { setup, body, calldata: data }
}

fn keccak() -> Family {
    Family {
        name: "keccak256",
        about: "KECCAK256 by input size (its rate is 136 bytes a block; gas counts 32-byte words)",
        unit: "bytes",
        kind: Kind::Opcode,
        variants: vec![variant("KECCAK256", &[0, 32, 136, 137, 256, 1024, 4096, 16384, 32768], 0, 65536, |size| {
            let mut body = Asm::new();
            body.push_u64(size).op(op::PUSH0).op(op::KECCAK256).op(op::POP);
            Parts::body(body)
        })],
    }
}

fn exp() -> Family {
    Family {
        name: "exp",
        about: "EXP by the exponent's bytes (all bits set)",
        unit: "exponent bytes",
        kind: Kind::Opcode,
        variants: vec![variant("EXP", &[1, 2, 4, 8, 16, 24, 32], 1, 32, |bytes| {
            let mut body = Asm::new();
            body.push_bytes(&vec![0xff; bytes as usize]).push_u64(3).op(op::EXP).op(op::POP);
            Parts::body(body)
        })],
    }
}

fn copies() -> Family {
    let copy = |opcode: u8| {
        move |size: u64| {
            let mut body = Asm::new();
            // (destOffset, offset, size), destOffset on top.
            body.push_u64(size).op(op::PUSH0).op(op::PUSH0).op(opcode);
            body
        }
    };
    let calldatacopy = copy(op::CALLDATACOPY);
    let codecopy = copy(op::CODECOPY);
    let mcopy = copy(op::MCOPY);
    let returndatacopy = copy(op::RETURNDATACOPY);
    Family {
        name: "copy",
        about: "CALLDATACOPY, CODECOPY, RETURNDATACOPY and MCOPY by size",
        unit: "bytes",
        kind: Kind::Opcode,
        variants: vec![
            variant("CALLDATACOPY", &BYTES, 1, 65536, move |size| Parts {
                setup: Asm::new(),
                body: calldatacopy(size),
                calldata: vec![0xab; size as usize],
            }),
            variant("CODECOPY", &BYTES, 1, 65536, move |size| Parts::body(codecopy(size))),
            variant("RETURNDATACOPY", &BYTES, 1, 65536, move |size| {
                // Return data of `size` bytes: the identity precompile echoes them.
                let mut setup = Asm::new();
                setup.op(op::PUSH0).op(op::PUSH0).push_u64(size).op(op::PUSH0).push_u64(4);
                setup.op(op::GAS).op(op::STATICCALL).op(op::POP);
                Parts { setup, body: returndatacopy(size), calldata: Vec::new() }
            }),
            variant("MCOPY", &BYTES, 1, 65536, move |size| Parts::body(mcopy(size))),
        ],
    }
}

/// Memory expansion in a fresh call frame each time: the program calls
/// itself, and the inner frame (told apart by CALLER == ADDRESS) writes one
/// byte at `size - 1` and stops. Within one frame the price of memory grows
/// with the square of its size while the work grows linearly, so a growing
/// frame gets cheaper per gas as it goes; new frames pay the steep start
/// every time.
fn memory() -> Family {
    Family {
        name: "memory",
        about: "memory expansion to a size, in a fresh frame each time (the program calls itself)",
        unit: "bytes",
        kind: Kind::Opcode,
        variants: vec![variant(
            "MSTORE8 in a new frame",
            &[1, 32, 256, 1024, 4096, 16384, 65536],
            1,
            1 << 20,
            |size| {
                let mut expand = Asm::new();
                // MSTORE8(offset = size - 1, value = 0), offset on top.
                expand.op(op::PUSH0).push_u64(size - 1).op(op::MSTORE8).op(op::STOP);
                let mut setup = Asm::new();
                setup.op(op::CALLER).op(op::ADDRESS).op(op::EQ).op(op::ISZERO);
                let outer = setup.pc() + 4 + expand.pc();
                setup.push_label(outer).op(op::JUMPI).extend(&expand).op(op::JUMPDEST);
                let mut body = Asm::new();
                // STATICCALL(gas, address, argsOffset, argsSize, retOffset, retSize)
                body.op(op::PUSH0).op(op::PUSH0).op(op::PUSH0).op(op::PUSH0).op(op::ADDRESS);
                body.op(op::GAS).op(op::STATICCALL).op(op::POP);
                Parts { setup, body, calldata: Vec::new() }
            },
        )],
    }
}

fn logs() -> Family {
    let variants = (0..=4u8)
        .map(|topics| {
            variant(format!("LOG{topics}"), &[0, 32, 256, 1024, 4096, 16384], 0, 65536, move |size| {
                let mut body = Asm::new();
                for t in 0..topics {
                    body.push_bytes(&[0x11 + t; 32]);
                }
                // (offset, size, topics…), offset on top.
                body.push_u64(size).op(op::PUSH0).op(op::LOG0 + topics);
                Parts::body(body)
            })
        })
        .collect();
    Family { name: "log", about: "LOG0 to LOG4 by data size", unit: "data bytes", kind: Kind::Opcode, variants }
}

/// `opcode` on the address (or slot) on top of the stack, its result dropped.
fn touch(opcode: u8) -> impl Fn(&mut Asm) {
    move |b: &mut Asm| {
        b.op(op::DUP1).op(opcode).op(op::POP);
    }
}

/// A new address each iteration: a counter on the stack, from a base far from the precompiles.
fn per_address(name: &str, access: impl Fn(&mut Asm) + 'static) -> Variant {
    variant(name, &[0], 0, 0, move |_| {
        let mut setup = Asm::new();
        setup.push_u64(0x00be_ef00_0000);
        let mut body = Asm::new();
        access(&mut body);
        body.push_u64(1).op(op::ADD);
        Parts { setup, body, calldata: Vec::new() }
    })
}

fn accounts() -> Family {
    Family {
        name: "cold_account",
        about: "cold account access, a new address every time (on the empty state in memory: the interpreter's and the journal's cost, not a database's)",
        unit: "",
        kind: Kind::Opcode,
        variants: vec![
            per_address("BALANCE", touch(op::BALANCE)),
            per_address("EXTCODESIZE", touch(op::EXTCODESIZE)),
            per_address("EXTCODEHASH", touch(op::EXTCODEHASH)),
            per_address("EXTCODECOPY", |b| {
                // (address, destOffset, offset, size), address on top.
                b.push_u64(32).op(op::PUSH0).op(op::PUSH0).op(op::DUP4).op(op::EXTCODECOPY);
            }),
            per_address("CALL", |b| {
                // (gas, address, value, argsOffset, argsSize, retOffset, retSize)
                b.op(op::PUSH0).op(op::PUSH0).op(op::PUSH0).op(op::PUSH0).op(op::PUSH0).op(op::DUP6);
                b.op(op::GAS).op(op::CALL).op(op::POP);
            }),
        ],
    }
}

fn storage() -> Family {
    Family {
        name: "storage",
        about: "SLOAD of a new cold slot and SSTORE of a new slot every time (empty state in memory)",
        unit: "",
        kind: Kind::Storage,
        variants: vec![
            per_address("SLOAD cold", touch(op::SLOAD)),
            per_address("SSTORE zero to nonzero", |b| {
                // (key, value), key on top.
                b.push_u64(1).op(op::DUP2).op(op::SSTORE);
            }),
        ],
    }
}

fn modexp() -> Family {
    let shape = |name: &str, exponent: Vec<u8>, even: bool| {
        variant(name, &[1, 8, 32, 64, 128, 256, 512, 1024], 1, 1024, move |size| {
            let size_bytes = |n: usize| {
                let mut word = [0u8; 32];
                word[24..].copy_from_slice(&(n as u64).to_be_bytes());
                word
            };
            let n = size as usize;
            let mut modulus = vec![0xff; n];
            if even {
                modulus[n - 1] = 0xfe;
            }
            let mut data = Vec::new();
            data.extend_from_slice(&size_bytes(n));
            data.extend_from_slice(&size_bytes(exponent.len()));
            data.extend_from_slice(&size_bytes(n));
            data.extend(std::iter::repeat_n(0xab, n));
            data.extend_from_slice(&exponent);
            data.extend_from_slice(&modulus);
            precompile_call(5, data, size)
        })
    };
    Family {
        name: "modexp",
        about: "MODEXP (EIP-198, priced by EIP-7883) by base and modulus length, for three exponents",
        unit: "base and modulus bytes",
        kind: Kind::Precompile,
        variants: vec![
            shape("exponent 3 (1 byte)", vec![3], false),
            shape("exponent 32 bytes, all bits set", vec![0xff; 32], false),
            shape("exponent 32 bytes, all bits set, even modulus", vec![0xff; 32], true),
        ],
    }
}
