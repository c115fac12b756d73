//! World state for the trie and database workloads: 100k accounts and the
//! storage of 302 contracts.
//!
//! Shape choices: most mainnet accounts are EOAs with small nonces and
//! balances spread over many orders of magnitude (a fifth are empty); a few
//! contracts hold most storage. Two contracts have 1k and 10k slots for the
//! storage-root workloads; 300 more have log-uniformly 1 to 512 slots, which
//! gives the parallel state root uneven work, as real state does. Every
//! contract sits in the first 10k accounts, so the 10k-account state is the
//! one with storage.

use alloy_primitives::{keccak256, Address, B256, U256};
use rand::{Rng, RngCore};
use rand_chacha::ChaCha20Rng;

use ethbench::data::{Account, ContractStorage};

pub const ACCOUNTS: usize = 100_000;
/// Slot counts of the two storage-root contracts, at account indices 0 and 1.
pub(crate) const LARGE_CONTRACTS: [usize; 2] = [10_000, 1_000];
pub(crate) const SMALL_CONTRACTS: usize = 300;

/// A value spread log-uniformly over `0..2^max_bits`, zero with probability `zero`.
fn log_uniform(rng: &mut ChaCha20Rng, max_bits: u32, zero: f64) -> U256 {
    if rng.random_bool(zero) {
        return U256::ZERO;
    }
    let bits = rng.random_range(1..=max_bits as usize);
    U256::from_be_bytes(rng.random::<[u8; 32]>()) >> (256 - bits)
}

pub fn accounts(rng: &mut ChaCha20Rng) -> Vec<Account> {
    (0..ACCOUNTS)
        .map(|_| {
            let address = Address::from(rng.random::<[u8; 20]>());
            let nonce = match rng.random_range(0..100) {
                0..70 => rng.random_range(0..10),
                70..95 => rng.random_range(10..1_000),
                _ => rng.random_range(1_000..1_000_000),
            };
            let balance = log_uniform(rng, 80, 0.2).to::<u128>();
            Account { address, nonce, balance }
        })
        .collect()
}

pub fn storage(rng: &mut ChaCha20Rng) -> Vec<ContractStorage> {
    let mut contracts = Vec::new();
    let mut next_index = 0u32;
    let mut contract = |rng: &mut ChaCha20Rng, slots: usize| {
        let mut code = vec![0u8; rng.random_range(100..24_576)];
        rng.fill_bytes(&mut code);
        let slots = (0..slots)
            .map(|_| {
                let key = B256::from(rng.random::<[u8; 32]>());
                // Stored values are never zero: a zero slot is deleted.
                let mut value = log_uniform(rng, 256, 0.0);
                if value.is_zero() {
                    value = U256::from(1);
                }
                (key, value)
            })
            .collect();
        // Spread the small contracts over the first 10k accounts.
        let index = next_index;
        next_index += if next_index < 2 { 1 } else { 32 };
        ContractStorage { account: index, code_hash: keccak256(&code), slots }
    };
    for slots in LARGE_CONTRACTS {
        contracts.push(contract(rng, slots));
    }
    for _ in 0..SMALL_CONTRACTS {
        let slots = 1usize << rng.random_range(0..=9u32);
        let slots = rng.random_range(slots.div_ceil(2)..=slots);
        contracts.push(contract(rng, slots));
    }
    contracts
}

/// Slots of the EVM storage workloads' contract: keys as Solidity lays out
/// `mapping(uint256 => uint256)` at slot 0 (keccak of index and slot), values
/// log-uniform and never zero.
pub(crate) fn evm_slots(rng: &mut ChaCha20Rng) -> Vec<(B256, U256)> {
    (0..EVM_SLOTS as u64)
        .map(|i| {
            let mut preimage = [0u8; 64];
            preimage[24..32].copy_from_slice(&i.to_be_bytes());
            let mut value = log_uniform(rng, 256, 0.0);
            if value.is_zero() {
                value = U256::from(1);
            }
            (keccak256(preimage), value)
        })
        .collect()
}

pub(crate) const EVM_SLOTS: usize = 100_000;
