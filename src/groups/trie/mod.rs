//! Merkle-Patricia trie roots on alloy-trie's `HashBuilder`, the pipeline a
//! client runs: keys are hashed into the hashed state (`trie/keccak/*`),
//! sorted, and streamed into the builder leaf by leaf.
//!
//! The root workloads start from the hashed, sorted state, the way a client
//! computes a root from scratch by walking its hashed-state tables.

mod block_roots;
mod keccak;
mod multiproof;
mod state_root;
mod storage_root;

use alloy_primitives::{keccak256, B256, U256};
use alloy_trie::{HashBuilder, Nibbles, TrieAccount, EMPTY_ROOT_HASH, KECCAK_EMPTY};
use rayon::prelude::*;

use crate::data::Fixtures;
use crate::data::{self, decode_accounts, decode_storage, Account, ContractStorage};
use crate::measure::error::Error;
use crate::measure::workload::{Select, Workload};

pub fn workloads(fx: &Fixtures, select: Select) -> Result<Vec<Box<dyn Workload>>, Error> {
    let state = State::load(fx)?;
    let mut all = Vec::new();
    all.extend(keccak::workloads(fx, &state)?);
    if select.wants_any("trie/storage_root") {
        all.extend(storage_root::workloads(fx, &state)?);
    }
    all.extend(state_root::workloads(fx, &state, select)?);
    if select.wants_any("trie/multiproof") {
        all.extend(multiproof::workloads(fx)?);
    }
    all.extend(block_roots::workloads(fx)?);
    Ok(select.keep(all))
}

/// The state fixtures, decoded.
pub struct State {
    pub accounts: Vec<Account>,
    pub contracts: Vec<ContractStorage>,
}

impl State {
    /// The state fixtures, checked and decoded once per process.
    pub fn load(fx: &Fixtures) -> Result<std::sync::Arc<Self>, Error> {
        fx.shared(Self::decode)
    }

    fn decode(fx: &Fixtures) -> Result<Self, Error> {
        let accounts = decode_accounts(&fx.bytes(data::ACCOUNTS)?).map_err(|e| Error::fixture(data::ACCOUNTS, e))?;
        let contracts = decode_storage(&fx.bytes(data::STORAGE)?).map_err(|e| Error::fixture(data::STORAGE, e))?;
        if let Some(c) = contracts.iter().find(|c| c.account as usize >= accounts.len()) {
            return Err(Error::fixture(data::STORAGE, format!("names account {}, which does not exist", c.account)));
        }
        Ok(Self { accounts, contracts })
    }

    /// The first `n` accounts in hashed-state form, each with the index of its
    /// contract storage, sorted by hashed address.
    pub fn hashed_accounts(&self, n: usize) -> Vec<HashedAccount> {
        let mut storage_of = vec![None; n];
        for (i, c) in self.contracts.iter().enumerate() {
            if (c.account as usize) < n {
                storage_of[c.account as usize] = Some(i);
            }
        }
        let mut hashed: Vec<HashedAccount> = self.accounts[..n]
            .iter()
            .zip(storage_of)
            .map(|(a, storage)| HashedAccount {
                key: keccak256(a.address),
                nonce: a.nonce,
                balance: U256::from(a.balance),
                storage,
            })
            .collect();
        hashed.sort_unstable_by_key(|a| a.key);
        hashed
    }

    /// Every contract's storage in hashed form, each sorted by hashed slot.
    pub fn hashed_storages(&self) -> Vec<HashedStorage> {
        self.contracts
            .iter()
            .map(|c| {
                let mut slots: Vec<(B256, U256)> = c.slots.iter().map(|(k, v)| (keccak256(k), *v)).collect();
                slots.sort_unstable_by_key(|(k, _)| *k);
                HashedStorage { code_hash: c.code_hash, slots }
            })
            .collect()
    }
}

/// Every contract's storage in hashed form and its storage root, computed
/// once per process, on first use.
pub(crate) struct Storages {
    pub hashed: Vec<HashedStorage>,
    pub roots: Vec<B256>,
}

impl Storages {
    pub fn load(fx: &Fixtures) -> Result<std::sync::Arc<Self>, Error> {
        fx.shared(|fx| {
            let hashed = State::load(fx)?.hashed_storages();
            let roots = storage_roots_sequential(&hashed);
            Ok(Self { hashed, roots })
        })
    }
}

/// The first `n` accounts as the account trie's sorted leaves, with their
/// contracts' storage roots: the input of every account-trie workload.
pub(crate) fn account_leaves(fx: &Fixtures, n: usize) -> Result<Vec<(B256, TrieAccount)>, Error> {
    let (state, storages) = (State::load(fx)?, Storages::load(fx)?);
    Ok(state.hashed_accounts(n).iter().map(|a| (a.key, trie_account(a, &storages.hashed, &storages.roots))).collect())
}

#[derive(Debug, Clone)]
pub struct HashedAccount {
    pub key: B256,
    pub nonce: u64,
    pub balance: U256,
    /// Index into the contracts, for accounts with code and storage.
    pub storage: Option<usize>,
}

#[derive(Debug, Clone)]
pub struct HashedStorage {
    pub code_hash: B256,
    /// (keccak256 of the slot, value), sorted by the hashed slot.
    pub slots: Vec<(B256, U256)>,
}

/// Root of one contract's storage trie: leaves are RLP(value) under the hashed slot.
pub fn storage_root(slots: &[(B256, U256)]) -> B256 {
    if slots.is_empty() {
        return EMPTY_ROOT_HASH;
    }
    let mut hb = HashBuilder::default();
    let mut value = Vec::with_capacity(33);
    for (key, v) in slots {
        value.clear();
        alloy_rlp::Encodable::encode(v, &mut value);
        hb.add_leaf(Nibbles::unpack(key), &value);
    }
    hb.root()
}

/// Storage roots of every contract, one after another.
pub fn storage_roots_sequential(storages: &[HashedStorage]) -> Vec<B256> {
    storages.iter().map(|s| storage_root(&s.slots)).collect()
}

/// Storage roots of every contract in parallel on rayon's pool, as reth's
/// parallel state root does; results keep the contracts' order.
pub fn storage_roots_parallel(storages: &[HashedStorage]) -> Vec<B256> {
    storages.par_iter().map(|s| storage_root(&s.slots)).collect()
}

/// The account as the state trie stores it, given its contracts' storage roots.
pub fn trie_account(a: &HashedAccount, storages: &[HashedStorage], storage_roots: &[B256]) -> TrieAccount {
    let (storage_root, code_hash) = match a.storage {
        Some(i) => (storage_roots[i], storages[i].code_hash),
        None => (EMPTY_ROOT_HASH, KECCAK_EMPTY),
    };
    TrieAccount { nonce: a.nonce, balance: a.balance, storage_root, code_hash }
}

/// Feed sorted (hashed key, account) leaves into `hb` and return the root.
pub(crate) fn account_root_with(mut hb: HashBuilder, leaves: &[(B256, TrieAccount)]) -> (B256, HashBuilder) {
    let mut value = Vec::with_capacity(128);
    for (key, account) in leaves {
        value.clear();
        alloy_rlp::Encodable::encode(account, &mut value);
        hb.add_leaf(Nibbles::unpack(key), &value);
    }
    (hb.root(), hb)
}

/// State root over prepared account leaves.
pub(crate) fn account_root(leaves: &[(B256, TrieAccount)]) -> B256 {
    account_root_with(HashBuilder::default(), leaves).0
}

/// The full pipeline from hashed state: every storage root, then the account trie.
pub fn state_root(accounts: &[HashedAccount], storages: &[HashedStorage], parallel: bool) -> B256 {
    let roots = if parallel { storage_roots_parallel(storages) } else { storage_roots_sequential(storages) };
    let leaves: Vec<(B256, TrieAccount)> =
        accounts.iter().map(|a| (a.key, trie_account(a, storages, &roots))).collect();
    account_root(&leaves)
}
