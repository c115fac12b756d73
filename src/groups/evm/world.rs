//! The pre-state every EVM workload runs against.
//!
//! The state is an in-memory database of the fixture's 100k accounts, its
//! 302 contracts with their storage, and a 100k-slot contract: large enough
//! that a cold account or slot is a real lookup in a large map, as in a
//! client's state cache. Each run executes on a fresh, empty overlay over
//! that shared state (built untimed), so "cold" means cold in the database
//! too, not only in EIP-2929's gas accounting.

use std::sync::{Arc, OnceLock};

use alloy_primitives::{Address, Bytes, B256, U256};
use revm::database::{CacheDB, EmptyDB};
use revm::state::{AccountInfo, Bytecode};
use revm::DatabaseRef;

use super::exec::{Installed, Overlay, Shared, CALLER, PROGRAM};
use super::genesis;
use crate::data::Fixtures;
use crate::data::{self, decode_storage};
use crate::groups::trie::State;
use crate::measure::error::Error;

/// The shared, read-only pre-state: who is in it at once, the database
/// itself on first use (building it takes longer than everything else the
/// EVM group declares).
pub struct World {
    base: OnceLock<Arc<CacheDB<EmptyDB>>>,
    /// What the database is built from (`None` for [`World::empty`], whose database is built at once).
    parts: Option<Parts>,
    /// Externally owned accounts of the fixture, in fixture order.
    pub accounts: Vec<Address>,
    /// The fixture's contracts (each with code and storage), in fixture order.
    pub contracts: Vec<Address>,
    /// The 100k slots stored at `PROGRAM`.
    pub slots: Vec<(B256, U256)>,
    /// EOAs holding ETH and both tokens, with the router approved: the
    /// senders of the block's transactions.
    pub token_holders: Vec<Address>,
}

/// The inputs of the database, checked when the world is loaded.
struct Parts {
    state: Arc<State>,
    genesis: Vec<genesis::Genesis>,
}

/// The suite's compiled contracts' runtime code, by contract name.
pub fn runtime(fx: &Fixtures) -> Result<std::collections::BTreeMap<String, Bytes>, Error> {
    let build: data::ContractsBuild = fx.json(data::CONTRACTS)?;
    let mut runtime = std::collections::BTreeMap::new();
    for (name, file) in build.runtime_files() {
        let text = fx.bytes(&file)?;
        let code = alloy_primitives::hex::decode(text.trim_ascii())
            .map_err(|e| Error::fixture(&file, format!("is not hex bytecode: {e}")))?;
        runtime.insert(name.to_owned(), Bytes::from(code));
    }
    Ok(runtime)
}

/// How many EOAs hold tokens.
pub(crate) const TOKEN_HOLDERS: usize = 1_000;

impl World {
    /// The pre-state, loaded once per process; its database is built on first use.
    pub fn load(fx: &Fixtures) -> Result<Arc<Self>, Error> {
        fx.shared(Self::build)
    }

    fn build(fx: &Fixtures) -> Result<Self, Error> {
        // The trie group's state, which also checks every contract names an account.
        let state = State::load(fx)?;
        let program = decode_storage(&fx.bytes(data::EVM_STORAGE)?)
            .map_err(|e| Error::fixture(data::EVM_STORAGE, e))?
            .pop()
            .ok_or_else(|| Error::fixture(data::EVM_STORAGE, "holds no storage record"))?;
        let has_code: std::collections::HashSet<u32> = state.contracts.iter().map(|c| c.account).collect();
        let (mut eoas, mut contracts, mut token_holders) = (Vec::new(), Vec::new(), Vec::new());
        for (i, a) in state.accounts.iter().enumerate() {
            if has_code.contains(&(i as u32)) {
                contracts.push(a.address);
            } else {
                eoas.push(a.address);
                if a.balance >= genesis::ETHER && token_holders.len() < TOKEN_HOLDERS {
                    token_holders.push(a.address);
                }
            }
        }
        let runtime = runtime(fx)?;
        let genesis = genesis::genesis(&runtime, &token_holders).map_err(|e| Error::fixture(data::CONTRACTS, e))?;
        Ok(Self {
            base: OnceLock::new(),
            parts: Some(Parts { state, genesis }),
            accounts: eoas,
            contracts,
            slots: program.slots,
            token_holders,
        })
    }

    /// The database: every fixture account (contracts with a code stub and
    /// their storage), the funded caller, the program account and its
    /// slots, and the contracts' accounts.
    fn base(&self) -> &Arc<CacheDB<EmptyDB>> {
        self.base.get_or_init(|| {
            let Parts { state, genesis } = self.parts.as_ref().expect("a world without a database has its parts");
            let mut db = CacheDB::new(EmptyDB::new());
            for a in &state.accounts {
                db.insert_account_info(
                    a.address,
                    AccountInfo { balance: U256::from(a.balance), nonce: a.nonce, ..Default::default() },
                );
            }
            for c in &state.contracts {
                let a = &state.accounts[c.account as usize];
                // The fixture records only a code hash; the code is a stub
                // that embeds it, so every contract's code is distinct.
                let mut code = vec![revm::bytecode::opcode::PUSH32];
                code.extend_from_slice(c.code_hash.as_slice());
                code.push(revm::bytecode::opcode::STOP);
                let info = AccountInfo { balance: U256::from(a.balance), nonce: a.nonce, ..Default::default() };
                db.insert_account_info(a.address, with_code(info, code.into()));
                for &(key, value) in &c.slots {
                    db.insert_account_storage(a.address, key.into(), value).expect("in-memory");
                }
            }
            db.insert_account_info(CALLER, AccountInfo { balance: U256::MAX >> 8, ..Default::default() });
            db.insert_account_info(PROGRAM, with_code(AccountInfo { nonce: 1, ..Default::default() }, Bytes::new()));
            for &(key, value) in &self.slots {
                db.insert_account_storage(PROGRAM, key.into(), value).expect("in-memory");
            }
            for g in genesis {
                let info = with_code(AccountInfo { nonce: 1, ..Default::default() }, g.code.clone());
                db.insert_account_info(g.address, info);
                for &(slot, value) in &g.storage {
                    db.insert_account_storage(g.address, slot, value).expect("in-memory");
                }
            }
            Arc::new(db)
        })
    }

    /// A state holding only the funded `CALLER`, for user bytecode.
    pub fn empty() -> Self {
        let mut db = CacheDB::new(EmptyDB::new());
        db.insert_account_info(CALLER, AccountInfo { balance: U256::MAX >> 8, ..Default::default() });
        Self {
            base: OnceLock::from(Arc::new(db)),
            parts: None,
            accounts: Vec::new(),
            contracts: Vec::new(),
            slots: Vec::new(),
            token_holders: Vec::new(),
        }
    }

    /// A fresh overlay on the shared state with `code` installed at each address.
    pub(crate) fn overlay(&self, code: &[(Address, Installed)]) -> Overlay {
        let mut db = CacheDB::new(Shared(self.base().clone()));
        for (address, installed) in code {
            let info = self.base().basic_ref(*address).expect("in-memory").unwrap_or_default();
            db.insert_account_info(
                *address,
                AccountInfo { code_hash: installed.hash, code: Some(installed.code.clone()), ..info },
            );
        }
        db
    }

    pub fn balance(&self, address: Address) -> U256 {
        self.base().basic_ref(address).expect("in-memory").map_or(U256::ZERO, |a| a.balance)
    }

    pub fn nonce(&self, address: Address) -> u64 {
        self.base().basic_ref(address).expect("in-memory").map_or(0, |a| a.nonce)
    }

    /// `token.balanceOf(owner)` in the pre-state.
    pub(crate) fn token_balance(&self, token: Address, owner: Address) -> U256 {
        self.base().storage_ref(token, genesis::balance_slot(owner)).expect("in-memory")
    }
}

fn with_code(info: AccountInfo, code: Bytes) -> AccountInfo {
    let code = Bytecode::new_raw(code);
    AccountInfo { code_hash: code.hash_slow(), code: Some(code), ..info }
}
