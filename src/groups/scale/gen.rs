//! The state of a tier, derived entry by entry from a seed with keccak256,
//! so that any entry can be recomputed on its own (the workloads pick
//! accounts and slots without reading the database) and so that an
//! independent implementation (`scripts/scale_root.py`) derives the same
//! state byte for byte.
//!
//! `word(tag, parts)` = keccak256(seed as 8 bytes BE ‖ tag ‖ each part as 8 bytes BE).
//! - account i: r = word("account", i); address = r[0..20]; nonce = r[20..22]
//!   as u16 BE; balance = r[22..30] as u64 BE (wei); accounts 0 to
//!   contracts−1 are the contracts, whose code hash is keccak256("ethbench
//!   contract" ‖ i as 8 bytes BE); the others have no code.
//! - slot j of contract k: index = word("slot", k, j); its value is
//!   index[24..32] as u64 BE, shifted right by 8, plus one (never zero).
//! - the changeset: see `Changeset`.

use std::collections::BTreeMap;

use alloy_primitives::{keccak256, Address, B256, U256};
use alloy_trie::{TrieAccount, EMPTY_ROOT_HASH, KECCAK_EMPTY};

use super::tier::{Mix, Tier};

/// The seed of every tier; the manifest records it.
pub const SEED: u64 = 0x5ca1_e000;

pub fn word(tag: &str, parts: &[u64]) -> B256 {
    let mut data = Vec::with_capacity(8 + tag.len() + 8 * parts.len());
    data.extend_from_slice(&SEED.to_be_bytes());
    data.extend_from_slice(tag.as_bytes());
    for p in parts {
        data.extend_from_slice(&p.to_be_bytes());
    }
    keccak256(&data)
}

fn be_u64(bytes: &[u8]) -> u64 {
    let mut b = [0u8; 8];
    b[8 - bytes.len()..].copy_from_slice(bytes);
    u64::from_be_bytes(b)
}

/// One generated account, before its storage root is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Account {
    pub index: u64,
    pub address: Address,
    pub hashed: B256,
    pub nonce: u64,
    pub balance: U256,
    pub code_hash: B256,
}

impl Account {
    /// The trie leaf, as the hashed-accounts table stores it: RLP of (nonce, balance, storage root, code hash).
    pub fn leaf(&self, storage_root: B256) -> Vec<u8> {
        alloy_rlp::encode(TrieAccount {
            nonce: self.nonce,
            balance: self.balance,
            storage_root,
            code_hash: self.code_hash,
        })
    }

    pub(crate) fn is_contract(&self, mix: &Mix) -> bool {
        self.index < mix.contracts
    }
}

pub fn account(mix: &Mix, i: u64) -> Account {
    let r = word("account", &[i]);
    let address = Address::from_slice(&r[..20]);
    let code_hash = if i < mix.contracts {
        let mut data = b"ethbench contract".to_vec();
        data.extend_from_slice(&i.to_be_bytes());
        keccak256(&data)
    } else {
        KECCAK_EMPTY
    };
    Account {
        index: i,
        address,
        hashed: keccak256(address),
        nonce: be_u64(&r[20..22]),
        balance: U256::from(be_u64(&r[22..30])),
        code_hash,
    }
}

/// One storage slot: the index the EVM uses, its hash (the key in the trie
/// and the table) and its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slot {
    pub index: U256,
    pub hashed: B256,
    pub value: U256,
}

pub fn slot(k: u64, j: u64) -> Slot {
    let index = word("slot", &[k, j]);
    Slot { index: index.into(), hashed: keccak256(index), value: U256::from((be_u64(&index[24..]) >> 8) + 1) }
}

/// Contract k's slots, sorted by hashed index.
pub fn slots(mix: &Mix, k: u64) -> Vec<Slot> {
    let mut all: Vec<Slot> = (0..mix.slot_count(k)).map(|j| slot(k, j)).collect();
    all.sort_unstable_by_key(|s| s.hashed);
    all
}

/// A storage leaf value: RLP of the slot's value.
pub(crate) fn slot_leaf(value: U256) -> Vec<u8> {
    alloy_rlp::encode(value)
}

/// Distinct values of `pick(t)` for t = 0, 1, …, until `want` (or `limit` distinct values exist).
fn distinct(want: usize, limit: u64, pick: impl Fn(u64) -> u64) -> Vec<u64> {
    let want = want.min(limit as usize);
    let mut seen = std::collections::BTreeSet::new();
    let mut order = Vec::new();
    let mut t = 0;
    while order.len() < want {
        let v = pick(t) % limit;
        if seen.insert(v) {
            order.push(v);
        }
        t += 1;
    }
    order
}

/// A block's worth of state changes, the same at every tier in shape:
/// [`CHANGED_ACCOUNTS`] accounts get nonce + 1 and balance + 1, and each of
/// [`CHANGED_CONTRACTS`] contracts gets [`SLOTS_PER_CONTRACT`] slot writes,
/// half of them to existing slots (new value + 1) and half to new slots.
#[derive(Debug, Clone)]
pub(crate) struct Changeset {
    /// Account index → (account, new nonce, new balance).
    pub accounts: BTreeMap<u64, Account>,
    /// Contract index → its written slots (hashed key → new value).
    pub storage: BTreeMap<u64, BTreeMap<B256, U256>>,
}

pub(crate) const CHANGED_ACCOUNTS: usize = 1_000;
pub(crate) const CHANGED_CONTRACTS: usize = 100;
pub(crate) const SLOTS_PER_CONTRACT: usize = 100;

impl Changeset {
    pub fn of(tier: Tier) -> Self {
        let mix = tier.mix();
        let pick = |tag: &'static str| move |t: u64| be_u64(&word(tag, &[t])[..8]);
        let accounts = distinct(CHANGED_ACCOUNTS, mix.accounts, pick("change account"))
            .into_iter()
            .map(|i| {
                let mut a = account(&mix, i);
                a.nonce += 1;
                a.balance += U256::from(1);
                (i, a)
            })
            .collect();
        let storage = distinct(CHANGED_CONTRACTS, mix.contracts, pick("change contract"))
            .into_iter()
            .map(|k| {
                let half = SLOTS_PER_CONTRACT / 2;
                let existing = distinct(half, mix.slot_count(k), |t| be_u64(&word("change slot", &[k, t])[..8]));
                let mut writes: BTreeMap<B256, U256> = existing
                    .into_iter()
                    .map(|j| {
                        let s = slot(k, j);
                        (s.hashed, s.value + U256::from(1))
                    })
                    .collect();
                for t in 0..half as u64 {
                    let s = slot(k, u64::MAX - t);
                    writes.insert(s.hashed, s.value);
                }
                (k, writes)
            })
            .collect();
        Self { accounts, storage }
    }
}

/// The storage root of an empty contract.
pub(crate) const EMPTY_STORAGE: B256 = EMPTY_ROOT_HASH;
