//! The contracts' accounts in the pre-state: two tokens, two pairs, a
//! router and three compute contracts, with storage laid out by hand from
//! the Solidity sources' layouts. Shared by the pre-state (`world`) and the
//! workloads that call them (`contracts`, `block`).

use std::collections::BTreeMap;

use alloy_primitives::{address, keccak256, Address, Bytes, U256};

use super::exec::{self, CALLER};

pub(crate) const TOKEN_A: Address = address!("0x00000000000000000000000000000000000a0000");
pub(crate) const TOKEN_B: Address = address!("0x00000000000000000000000000000000000b0000");
/// The pair the router (and the block) trades through.
pub(crate) const PAIR: Address = address!("0x00000000000000000000000000000000000c0000");
/// A second pair whose token A input is already transferred in, for a bare `swap`.
pub(crate) const SWAP_PAIR: Address = address!("0x00000000000000000000000000000000000c0001");
pub(crate) const ROUTER: Address = address!("0x00000000000000000000000000000000000d0000");
pub const KECCAK_LOOP: Address = address!("0x00000000000000000000000000000000000e0000");
pub(crate) const NESTED_CALLS: Address = address!("0x00000000000000000000000000000000000e0001");
pub(crate) const RAY_TRACER: Address = address!("0x00000000000000000000000000000000000e0002");

/// Token balance of every holder, of both tokens.
pub(crate) const HOLDING: u128 = 1_000_000 * ETHER;
pub(crate) const ETHER: u128 = 1_000_000_000_000_000_000;
/// Reserves of both pairs.
pub(crate) const RESERVES: (u128, u128) = (10_000_000 * ETHER, 20_000_000 * ETHER);
/// The input already sitting in [`SWAP_PAIR`].
pub(crate) const SWAP_IN: u128 = 1_000 * ETHER;
/// What `CALLER` may spend of each holder's tokens (finite, so the allowance is updated).
pub(crate) const ALLOWANCE: u128 = 1_000_000_000 * ETHER;
/// Seconds since the pairs' last update, so the price accumulators move.
pub(crate) const SINCE_UPDATE: u64 = 12;

/// Storage slot of `mapping(address => …)` at `slot`, for `key`.
pub(crate) fn mapping_slot(key: Address, slot: U256) -> U256 {
    let mut preimage = [0u8; 64];
    preimage[12..32].copy_from_slice(key.as_slice());
    preimage[32..].copy_from_slice(&slot.to_be_bytes::<32>());
    U256::from_be_bytes(keccak256(preimage).0)
}

pub(crate) fn balance_slot(owner: Address) -> U256 {
    mapping_slot(owner, U256::ZERO)
}

pub(crate) fn allowance_slot(owner: Address, spender: Address) -> U256 {
    mapping_slot(spender, mapping_slot(owner, U256::from(1)))
}

/// Reserve word of a pair: reserve0 | reserve1 << 112 | timestamp << 224.
pub(crate) fn reserves_word(r0: u128, r1: u128, timestamp: u64) -> U256 {
    U256::from(r0) | (U256::from(r1) << 112) | (U256::from(timestamp as u32) << 224)
}

/// Uniswap V2's `getAmountOut`: the output for `amount_in` with the 0.3% fee.
pub(crate) fn amount_out(amount_in: U256, reserve_in: U256, reserve_out: U256) -> U256 {
    let with_fee = amount_in * U256::from(997);
    with_fee * reserve_out / (reserve_in * U256::from(1000) + with_fee)
}

/// An account of the pre-state: code and storage.
pub(crate) struct Genesis {
    pub address: Address,
    pub code: Bytes,
    pub storage: Vec<(U256, U256)>,
}

/// The contracts' accounts: two tokens held by `holders` and `CALLER`, two
/// pairs, the router, and the three compute contracts.
pub(crate) fn genesis(runtime: &BTreeMap<String, Bytes>, holders: &[Address]) -> Result<Vec<Genesis>, String> {
    let code = |name: &str| runtime.get(name).cloned().ok_or_else(|| format!("has no contract `{name}`"));
    let timestamp = exec::block_env(0).timestamp.to::<u64>() - SINCE_UPDATE;
    let mut all = Vec::new();
    for token in [TOKEN_A, TOKEN_B] {
        let mut storage = Vec::new();
        let mut supply = U256::ZERO;
        for &holder in holders.iter().chain([&CALLER]) {
            storage.push((balance_slot(holder), U256::from(HOLDING)));
            storage.push((allowance_slot(holder, ROUTER), U256::MAX));
            storage.push((allowance_slot(holder, CALLER), U256::from(ALLOWANCE)));
            supply += U256::from(HOLDING);
        }
        for pair in [PAIR, SWAP_PAIR] {
            let (r0, r1) = RESERVES;
            let mut held = if token == TOKEN_A { r0 } else { r1 };
            if pair == SWAP_PAIR && token == TOKEN_A {
                held += SWAP_IN;
            }
            storage.push((balance_slot(pair), U256::from(held)));
            supply += U256::from(held);
        }
        storage.push((U256::from(2), supply));
        all.push(Genesis { address: token, code: code("Token")?, storage });
    }
    for pair in [PAIR, SWAP_PAIR] {
        let storage = vec![
            (U256::ZERO, U256::from_be_slice(TOKEN_A.as_slice())),
            (U256::from(1), U256::from_be_slice(TOKEN_B.as_slice())),
            (U256::from(2), reserves_word(RESERVES.0, RESERVES.1, timestamp)),
            (U256::from(3), U256::from(1) << 130),
            (U256::from(4), U256::from(1) << 128),
            (U256::from(5), U256::from(1)),
        ];
        all.push(Genesis { address: pair, code: code("Pair")?, storage });
    }
    for (address, name) in
        [(ROUTER, "Router"), (KECCAK_LOOP, "KeccakLoop"), (NESTED_CALLS, "NestedCalls"), (RAY_TRACER, "RayTracer")]
    {
        all.push(Genesis { address, code: code(name)?, storage: Vec::new() });
    }
    Ok(all)
}
