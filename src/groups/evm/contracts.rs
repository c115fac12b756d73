//! Solidity contracts compiled by solc (`evm/contract/*`), deployed in the
//! pre-state with hand-laid-out storage, and called one transaction at a
//! time. Throughput is gas, so Criterion's "Melem/s" reads as MGas/s.
//!
//! Sources, the pinned compiler and its output: fixtures/evm/contracts and
//! `scripts/solc.sh`.

use std::sync::Arc;

use alloy_primitives::{keccak256, Address, Bytes, B256, U256};
use revm::state::EvmState;

use super::call::{self, Call};
use super::exec::{self, Outcome, OutcomeCheck, CALLER};
use super::genesis::{
    allowance_slot, amount_out, balance_slot, reserves_word, ALLOWANCE, ETHER, HOLDING, KECCAK_LOOP, NESTED_CALLS,
    PAIR, RAY_TRACER, RESERVES, ROUTER, SWAP_IN, SWAP_PAIR, TOKEN_A, TOKEN_B,
};
use super::world::World;
use crate::measure::error::Error;
use crate::measure::workload::Workload;
use crate::measure::workload::{deferred, expect_eq, Throughput};

/// Calldata: the selector of `signature` and one word per argument.
pub(crate) fn abi_call(signature: &str, args: &[U256]) -> Bytes {
    let mut data = keccak256(signature)[..4].to_vec();
    for arg in args {
        data.extend_from_slice(&arg.to_be_bytes::<32>());
    }
    data.into()
}

pub fn word(address: Address) -> U256 {
    U256::from_be_slice(address.as_slice())
}

/// One word of return data.
fn returned_word(outcome: &Outcome) -> Result<U256, String> {
    let output = outcome.result.output().ok_or("no return data")?;
    if output.len() != 32 {
        return Err(format!("returned {} bytes, expected one word", output.len()));
    }
    Ok(U256::from_be_slice(output))
}

/// The post-state value of `slot` of `address`.
pub(crate) fn slot_after(state: &EvmState, address: Address, slot: U256) -> Option<U256> {
    state.get(&address)?.storage.get(&slot).map(|s| s.present_value)
}

/// A workload calling `to` with `data`; its throughput is the gas one call
/// uses, found by running it once when the workload is first used.
fn contract_case(
    world: &Arc<World>,
    id: &str,
    about: &str,
    to: Address,
    data: Bytes,
    check: OutcomeCheck,
) -> Result<Box<dyn Workload>, Error> {
    let (world, id, about) = (world.clone(), id.to_owned(), format!("{about} (elements = gas used)"));
    Ok(deferred(
        id.clone(),
        about.clone(),
        Box::new(move || {
            let mut call = Call::new(&world, Vec::new(), exec::call_tx(to, data, Vec::new()));
            let gas = call.run().map_err(|e| Error::verify(&id, e))?.result.gas().total_gas_spent();
            Ok(call::call_case(id, about, Throughput::Gas(gas), call, check))
        }),
    ))
}

pub fn workloads(world: &Arc<World>) -> Result<Vec<Box<dyn Workload>>, Error> {
    let recipient = world.accounts[world.accounts.len() - 1];
    let holder = world.token_holders[0];
    let amount = U256::from(1_000) * U256::from(ETHER);
    let held = U256::from(HOLDING);
    let mut all = Vec::new();

    all.push(contract_case(
        world,
        "evm/contract/erc20_transfer",
        "ERC-20 transfer to an account that holds none",
        TOKEN_A,
        abi_call("transfer(address,uint256)", &[word(recipient), amount]),
        Box::new(move |o| {
            expect_eq("returned", returned_word(o)?, U256::from(1))?;
            expect_eq("sender balance", slot_after(&o.state, TOKEN_A, balance_slot(CALLER)), Some(held - amount))?;
            expect_eq("recipient balance", slot_after(&o.state, TOKEN_A, balance_slot(recipient)), Some(amount))?;
            expect_eq("logs", o.result.logs().len(), 1)
        }),
    )?);

    all.push(contract_case(
        world,
        "evm/contract/erc20_transfer_from",
        "ERC-20 transferFrom with a finite allowance",
        TOKEN_A,
        abi_call("transferFrom(address,address,uint256)", &[word(holder), word(recipient), amount]),
        Box::new(move |o| {
            expect_eq("returned", returned_word(o)?, U256::from(1))?;
            expect_eq("owner balance", slot_after(&o.state, TOKEN_A, balance_slot(holder)), Some(held - amount))?;
            expect_eq("recipient balance", slot_after(&o.state, TOKEN_A, balance_slot(recipient)), Some(amount))?;
            let allowance = slot_after(&o.state, TOKEN_A, allowance_slot(holder, CALLER));
            expect_eq("allowance", allowance, Some(U256::from(ALLOWANCE) - amount))
        }),
    )?);

    let (r0, r1) = (U256::from(RESERVES.0), U256::from(RESERVES.1));
    let out = amount_out(U256::from(SWAP_IN), r0, r1);
    let timestamp = exec::block_env(0).timestamp.to::<u64>();
    all.push(contract_case(
        world,
        "evm/contract/uniswap_v2_swap",
        "Uniswap-V2 pair swap of token A for B, input already in the pair",
        SWAP_PAIR,
        abi_call("swap(uint256,uint256,address)", &[U256::ZERO, out, word(CALLER)]),
        Box::new(move |o| {
            let reserves = reserves_word(RESERVES.0 + SWAP_IN, (r1 - out).to::<u128>(), timestamp);
            expect_eq("reserves", slot_after(&o.state, SWAP_PAIR, U256::from(2)), Some(reserves))?;
            expect_eq("B received", slot_after(&o.state, TOKEN_B, balance_slot(CALLER)), Some(held + out))?;
            expect_eq("B left in the pair", slot_after(&o.state, TOKEN_B, balance_slot(SWAP_PAIR)), Some(r1 - out))
        }),
    )?);

    all.push(contract_case(
        world,
        "evm/contract/router_swap",
        "Uniswap-V2 router exact-input swap: transferFrom into the pair, then swap",
        ROUTER,
        abi_call(
            "swapExactIn(address,address,uint256,uint256,address)",
            &[word(PAIR), word(TOKEN_A), amount, U256::ZERO, word(CALLER)],
        ),
        Box::new(move |o| {
            let want = amount_out(amount, r0, r1);
            expect_eq("amount out", returned_word(o)?, want)?;
            expect_eq("B received", slot_after(&o.state, TOKEN_B, balance_slot(CALLER)), Some(held + want))
        }),
    )?);

    let pixels = RAY_SIZE;
    all.push(contract_case(
        world,
        &format!("evm/contract/ray_tracer_{pixels}x{pixels}"),
        &format!("fixed-point ray tracer rendering {pixels}×{pixels} pixels, returning the image's keccak"),
        RAY_TRACER,
        abi_call("render(uint256)", &[U256::from(pixels)]),
        Box::new(move |o| expect_eq("image hash", returned_word(o)?, U256::from_be_bytes(render(pixels).0))),
    )?);

    all.push(contract_case(
        world,
        &format!("evm/contract/keccak_chain_{}k", KECCAKS / 1000),
        &format!("a chain of {KECCAKS} keccak256 of 64 bytes"),
        KECCAK_LOOP,
        abi_call("chain(uint256)", &[U256::from(KECCAKS)]),
        Box::new(move |o| expect_eq("chain head", returned_word(o)?, U256::from_be_bytes(keccak_chain(KECCAKS).0))),
    )?);

    all.push(contract_case(
        world,
        &format!("evm/contract/nested_calls_{DEPTH}"),
        &format!("a contract calling itself {DEPTH} CALLs deep, one TSTORE per level"),
        NESTED_CALLS,
        abi_call("descend(uint256)", &[U256::from(DEPTH)]),
        Box::new(move |o| expect_eq("sum of depths", returned_word(o)?, U256::from(DEPTH * (DEPTH + 1) / 2))),
    )?);
    Ok(all)
}

pub const RAY_SIZE: u64 = 32;
pub(crate) const KECCAKS: u64 = 10_000;
pub(crate) const DEPTH: u64 = 100;

/// The keccak chain of `KeccakLoop.chain`, computed here.
pub fn keccak_chain(n: u64) -> B256 {
    let mut h = B256::ZERO;
    for i in 0..n {
        let mut preimage = [0u8; 64];
        preimage[..32].copy_from_slice(h.as_slice());
        preimage[32..].copy_from_slice(&U256::from(i).to_be_bytes::<32>());
        h = keccak256(preimage);
    }
    h
}

/// The keccak256 `RayTracer.render` returns.
pub fn render(size: u64) -> B256 {
    keccak256(render_image(size))
}

/// `RayTracer.render`'s image, computed here with the same integer arithmetic
/// (Solidity's signed division truncates toward zero, as Rust's does).
pub fn render_image(size: u64) -> Vec<u8> {
    const ONE: i128 = 1 << 16;
    let n = size as i128;
    let mut image = Vec::with_capacity((size * size) as usize);
    for y in 0..n {
        for x in 0..n {
            let dx = ((2 * x + 1) * ONE) / n - ONE;
            let dy = ONE - ((2 * y + 1) * ONE) / n;
            let dz = -ONE;
            let cz = -3 * ONE;
            let radius = (3 * ONE) / 2;
            let a = (dx * dx + dy * dy + dz * dz) / ONE;
            let b = (-2 * (dz * cz)) / ONE;
            let c = (cz * cz) / ONE - (radius * radius) / ONE;
            let disc = b * b - 4 * a * c;
            let grey = if disc < 0 {
                16
            } else {
                let t = ((-b - isqrt(disc as u128) as i128) * ONE) / (2 * a);
                if t <= 0 {
                    16
                } else {
                    let (px, py, pz) = ((dx * t) / ONE, (dy * t) / ONE, (dz * t) / ONE);
                    let (nx, ny, nz) = ((px * ONE) / radius, (py * ONE) / radius, ((pz - cz) * ONE) / radius);
                    let lambert = ((nx * -37837 + ny * 37837 + nz * 37837) / ONE).max(0);
                    32 + (lambert * 223) / ONE
                }
            };
            image.push(grey as u8);
        }
    }
    image
}

/// The contract's Babylonian integer square root (floor).
fn isqrt(v: u128) -> u128 {
    if v == 0 {
        return 0;
    }
    let mut r = v;
    // The contract's (v + 1) / 2.
    let mut next = v.div_ceil(2);
    while next < r {
        r = next;
        next = (v / next + next) / 2;
    }
    r
}
