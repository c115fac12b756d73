//! The pre-state every EVM workload runs against, and the executor that runs
//! one transaction on it.
//!
//! The state is an in-memory database of the fixture's 100k accounts, its
//! 302 contracts with their storage, and a 100k-slot contract: large enough
//! that a cold account or slot is a real lookup in a large map, as in a
//! client's state cache. Each run executes on a fresh, empty overlay over
//! that shared state (built untimed), so "cold" means cold in the database
//! too, not only in EIP-2929's gas accounting.

use std::convert::Infallible;
use std::sync::Arc;

use alloy_primitives::{address, keccak256, Address, Bytes, B256, U256};
use revm::context::result::{ExecResultAndState, ExecutionResult};
use revm::context::{BlockEnv, CfgEnv, TxEnv};
use revm::context_interface::transaction::{AccessList, AccessListItem};
use revm::context_interface::ContextTr;
use revm::database::{CacheDB, EmptyDB};
use revm::primitives::hardfork::SpecId;
use revm::primitives::TxKind;
use revm::state::{AccountInfo, Bytecode, EvmState};
use revm::{Context, DatabaseRef, ExecuteEvm, MainBuilder, MainContext, MainnetEvm};

use super::contracts;
use crate::fixtures::{self, decode_storage};
use crate::{Error, Fixtures};

/// The fork every workload runs under: mainnet's current one.
pub const SPEC: SpecId = SpecId::OSAKA;
/// The funded sender of every generated call.
pub const CALLER: Address = address!("0x00000000000000000000000000000000ca11e500");
/// Where generated programs run; it owns the 100k-slot storage.
pub const PROGRAM: Address = address!("0x00000000000000000000000000000000000b3c00");

/// The shared, read-only pre-state.
pub struct World {
    base: Arc<CacheDB<EmptyDB>>,
    /// Externally owned accounts of the fixture, in fixture order.
    pub accounts: Vec<Address>,
    /// The fixture's contracts (each with code and storage), in fixture order.
    pub contracts: Vec<Address>,
    /// The 100k slots stored at [`PROGRAM`].
    pub slots: Vec<(B256, U256)>,
    /// EOAs holding ETH and both tokens, with the router approved: the
    /// senders of the block's transactions.
    pub token_holders: Vec<Address>,
}

/// How many EOAs hold tokens.
pub const TOKEN_HOLDERS: usize = 1_000;

impl World {
    pub fn load(fx: &Fixtures) -> Result<Self, Error> {
        // The trie group's state, which also checks every contract names an account.
        let crate::trie::State { accounts, contracts: storage } = crate::trie::State::load(fx)?;
        let program = decode_storage(&fx.bytes(fixtures::EVM_STORAGE)?)
            .map_err(|e| Error::fixture(fixtures::EVM_STORAGE, e))?
            .pop()
            .ok_or_else(|| Error::fixture(fixtures::EVM_STORAGE, "holds no storage record"))?;

        let mut db = CacheDB::new(EmptyDB::new());
        let mut contract_of = vec![None; accounts.len()];
        for (i, c) in storage.iter().enumerate() {
            contract_of[c.account as usize] = Some(i);
        }
        let mut eoas = Vec::new();
        let mut contracts = Vec::new();
        for (a, contract) in accounts.iter().zip(contract_of) {
            let mut info = AccountInfo { balance: U256::from(a.balance), nonce: a.nonce, ..Default::default() };
            if let Some(i) = contract {
                // The fixture records only a code hash; the code is a stub
                // that embeds it, so every contract's code is distinct.
                let mut code = vec![revm::bytecode::opcode::PUSH32];
                code.extend_from_slice(storage[i].code_hash.as_slice());
                code.push(revm::bytecode::opcode::STOP);
                info = with_code(info, code.into());
                contracts.push(a.address);
            } else {
                eoas.push(a.address);
            }
            db.insert_account_info(a.address, info);
        }
        for c in &storage {
            let address = accounts[c.account as usize].address;
            for &(key, value) in &c.slots {
                db.insert_account_storage(address, key.into(), value).expect("in-memory");
            }
        }
        db.insert_account_info(CALLER, AccountInfo { balance: U256::MAX >> 8, ..Default::default() });
        db.insert_account_info(PROGRAM, with_code(AccountInfo { nonce: 1, ..Default::default() }, Bytes::new()));
        for &(key, value) in &program.slots {
            db.insert_account_storage(PROGRAM, key.into(), value).expect("in-memory");
        }
        let build: fixtures::ContractsBuild = fx.json(fixtures::CONTRACTS)?;
        let mut runtime = std::collections::BTreeMap::new();
        for (name, file) in build.runtime_files() {
            let text = fx.bytes(&file)?;
            let code = alloy_primitives::hex::decode(text.trim_ascii())
                .map_err(|e| Error::fixture(&file, format!("is not hex bytecode: {e}")))?;
            runtime.insert(name.to_owned(), Bytes::from(code));
        }
        let one_ether = U256::from(contracts::ETHER);
        let token_holders: Vec<Address> = eoas
            .iter()
            .filter(|a| db.basic_ref(**a).ok().flatten().is_some_and(|i| i.balance >= one_ether))
            .take(TOKEN_HOLDERS)
            .copied()
            .collect();
        for g in contracts::genesis(&runtime, &token_holders).map_err(|e| Error::fixture(fixtures::CONTRACTS, e))? {
            db.insert_account_info(g.address, with_code(AccountInfo { nonce: 1, ..Default::default() }, g.code));
            for (slot, value) in g.storage {
                db.insert_account_storage(g.address, slot, value).expect("in-memory");
            }
        }
        Ok(Self { base: Arc::new(db), accounts: eoas, contracts, slots: program.slots, token_holders })
    }

    /// A state holding only the funded [`CALLER`], for user bytecode.
    pub fn empty() -> Self {
        let mut db = CacheDB::new(EmptyDB::new());
        db.insert_account_info(CALLER, AccountInfo { balance: U256::MAX >> 8, ..Default::default() });
        Self {
            base: Arc::new(db),
            accounts: Vec::new(),
            contracts: Vec::new(),
            slots: Vec::new(),
            token_holders: Vec::new(),
        }
    }

    /// A fresh overlay on the shared state with `code` installed at each address.
    pub fn overlay(&self, code: &[(Address, Installed)]) -> Overlay {
        let mut db = CacheDB::new(Shared(self.base.clone()));
        for (address, installed) in code {
            let info = self.base.basic_ref(*address).expect("in-memory").unwrap_or_default();
            db.insert_account_info(
                *address,
                AccountInfo { code_hash: installed.hash, code: Some(installed.code.clone()), ..info },
            );
        }
        db
    }

    pub fn balance(&self, address: Address) -> U256 {
        self.base.basic_ref(address).expect("in-memory").map_or(U256::ZERO, |a| a.balance)
    }

    pub fn nonce(&self, address: Address) -> u64 {
        self.base.basic_ref(address).expect("in-memory").map_or(0, |a| a.nonce)
    }

    /// `token.balanceOf(owner)` in the pre-state.
    pub fn token_balance(&self, token: Address, owner: Address) -> U256 {
        self.base.storage_ref(token, contracts::balance_slot(owner)).expect("in-memory")
    }
}

fn with_code(info: AccountInfo, code: Bytes) -> AccountInfo {
    let code = Bytecode::new_raw(code);
    AccountInfo { code_hash: code.hash_slow(), code: Some(code), ..info }
}

/// Code to install in an overlay, hashed once at build time.
#[derive(Debug, Clone)]
pub struct Installed {
    pub code: Bytecode,
    pub hash: B256,
}

impl Installed {
    pub fn new(code: impl Into<Bytes>) -> Self {
        let code: Bytes = code.into();
        let hash = keccak256(&code);
        Self { code: Bytecode::new_raw(code), hash }
    }
}

/// The shared pre-state as revm's read-only database.
#[derive(Clone)]
pub struct Shared(Arc<CacheDB<EmptyDB>>);

impl DatabaseRef for Shared {
    type Error = Infallible;

    fn basic_ref(&self, address: Address) -> Result<Option<AccountInfo>, Infallible> {
        self.0.basic_ref(address)
    }

    fn code_by_hash_ref(&self, code_hash: B256) -> Result<Bytecode, Infallible> {
        self.0.code_by_hash_ref(code_hash)
    }

    fn storage_ref(&self, address: Address, index: U256) -> Result<U256, Infallible> {
        self.0.storage_ref(address, index)
    }

    fn block_hash_ref(&self, number: u64) -> Result<B256, Infallible> {
        self.0.block_hash_ref(number)
    }
}

pub type Overlay = CacheDB<Shared>;
pub type Evm = MainnetEvm<revm::handler::MainnetContext<Overlay>>;

/// The block every workload executes in.
pub fn block_env(basefee: u64) -> BlockEnv {
    BlockEnv {
        number: U256::from(23_590_283u64),
        timestamp: U256::from(1_763_900_000u64),
        gas_limit: 60_000_000,
        basefee,
        prevrandao: Some(B256::with_last_byte(1)),
        beneficiary: address!("0x00000000000000000000000000000000c0ffee00"),
        ..Default::default()
    }
}

/// Mainnet at [`SPEC`], chain id 1, in [`block_env`], over `db`.
pub fn context(db: Overlay, basefee: u64) -> revm::handler::MainnetContext<Overlay> {
    Context::mainnet()
        .modify_cfg_chained(|cfg: &mut CfgEnv| {
            cfg.set_spec_and_mainnet_gas_params(SPEC);
            cfg.chain_id = 1;
        })
        .with_block(block_env(basefee))
        .with_db(db)
}

/// A mainnet EVM at [`SPEC`] over `db`.
pub fn evm(db: Overlay, basefee: u64) -> Evm {
    context(db, basefee).build_mainnet()
}

/// Swap in a fresh overlay (untimed, before each run).
pub fn reset(evm: &mut Evm, db: Overlay) {
    *evm.ctx.db_mut() = db;
}

pub type Outcome = ExecResultAndState<ExecutionResult, EvmState>;

/// One transaction, executed again and again, each time on a fresh overlay.
pub struct Call {
    world: Arc<World>,
    evm: Evm,
    code: Vec<(Address, Installed)>,
    pub tx: TxEnv,
}

impl Call {
    /// `tx` on the shared state with `code` installed over it.
    pub fn new(world: &Arc<World>, code: Vec<(Address, Installed)>, tx: TxEnv) -> Self {
        let evm = evm(world.overlay(&code), 0);
        Self { world: world.clone(), evm, code, tx }
    }

    /// Untimed, before each run.
    pub fn reset(&mut self) {
        reset(&mut self.evm, self.world.overlay(&self.code));
    }

    pub fn run(&mut self) -> Result<Outcome, String> {
        transact(&mut self.evm, &self.tx)
    }
}

/// What a successful call's outcome must also satisfy.
pub type OutcomeCheck = Box<dyn Fn(&Outcome) -> Result<(), String>>;

/// A call and the check of its outcome: the input of every one-transaction EVM workload.
pub struct CheckedCall {
    call: Call,
    check: OutcomeCheck,
}

impl CheckedCall {
    fn reset(&mut self) {
        self.call.reset();
    }

    fn run(&mut self) -> Result<Outcome, String> {
        self.call.run()
    }

    fn verify(&self, outcome: Result<Outcome, String>) -> Result<(), String> {
        let outcome = outcome?;
        expect_success(&outcome.result)?;
        (self.check)(&outcome)
    }
}

/// The workload timing `call`, each run on a fresh overlay; `verify` needs
/// success and whatever `check` asks of the outcome.
pub fn call_case(
    id: impl Into<String>,
    about: impl Into<String>,
    throughput: crate::Throughput,
    call: Call,
    check: OutcomeCheck,
) -> Box<dyn crate::Workload> {
    crate::workload::stateful_case(
        id,
        about,
        throughput,
        CheckedCall { call, check },
        crate::workload::Hooks { reset: Some(CheckedCall::reset), notes: None },
        CheckedCall::run,
        CheckedCall::verify,
    )
}

/// An EIP-1559 call from [`CALLER`] at zero fees (the benchmark block's
/// base fee is zero), so only execution is measured.
pub fn call_tx(to: Address, data: Bytes, access: Vec<(Address, Vec<B256>)>) -> TxEnv {
    let access = access.into_iter().map(|(address, storage_keys)| AccessListItem { address, storage_keys }).collect();
    TxEnv::builder()
        .tx_type(Some(2))
        .caller(CALLER)
        .kind(TxKind::Call(to))
        .gas_limit(GAS_LIMIT)
        .gas_price(0)
        .gas_priority_fee(Some(0))
        .chain_id(Some(1))
        .data(data)
        .access_list(AccessList(access))
        .build_fill()
}

/// Below Osaka's per-transaction cap (EIP-7825, 2^24).
pub const GAS_LIMIT: u64 = 16_000_000;

/// Execute `tx` without committing: the state changes come back in the outcome.
pub fn transact(evm: &mut Evm, tx: &TxEnv) -> Result<Outcome, String> {
    evm.transact(tx.clone()).map_err(|e| format!("transaction rejected before execution: {e}"))
}

/// `Ok` for a successful execution, else what stopped it.
pub fn expect_success(result: &ExecutionResult) -> Result<(), String> {
    match result {
        ExecutionResult::Success { .. } => Ok(()),
        ExecutionResult::Revert { gas, output, .. } => {
            Err(format!("reverted after {} gas with output {output}", gas.total_gas_spent()))
        }
        ExecutionResult::Halt { reason, gas, .. } => {
            Err(format!("halted ({reason:?}) after {} gas", gas.total_gas_spent()))
        }
    }
}
