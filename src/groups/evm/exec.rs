//! revm plumbing shared by every EVM workload: the fork, the block, the
//! overlay database over the shared pre-state, and one transaction's
//! execution. Nothing here knows the fixtures.

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

/// The fork every workload runs under: mainnet's current one.
pub(crate) const SPEC: SpecId = SpecId::OSAKA;
/// The funded sender of every generated call.
pub(crate) const CALLER: Address = address!("0x00000000000000000000000000000000ca11e500");
/// Where generated programs run; it owns the 100k-slot storage.
pub(crate) const PROGRAM: Address = address!("0x00000000000000000000000000000000000b3c00");

/// Code to install in an overlay, hashed once at build time.
#[derive(Debug, Clone)]
pub(crate) struct Installed {
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
pub struct Shared(pub Arc<CacheDB<EmptyDB>>);

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

pub(crate) type Overlay = CacheDB<Shared>;
pub(crate) type Evm = MainnetEvm<revm::handler::MainnetContext<Overlay>>;

/// The block every workload executes in.
pub(crate) fn block_env(basefee: u64) -> BlockEnv {
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

/// Mainnet at [`SPEC`], chain id 1, in [`block_env`], over `db` (the
/// overlay of the in-memory world, or another database such as the state at scale's).
pub(crate) fn context<DB: revm::Database>(db: DB, basefee: u64) -> revm::handler::MainnetContext<DB> {
    Context::mainnet()
        .modify_cfg_chained(|cfg: &mut CfgEnv| {
            cfg.set_spec_and_mainnet_gas_params(SPEC);
            cfg.chain_id = 1;
        })
        .with_block(block_env(basefee))
        .with_db(db)
}

/// A mainnet EVM at `SPEC` over `db`.
pub fn evm(db: Overlay, basefee: u64) -> Evm {
    context(db, basefee).build_mainnet()
}

/// The context for a transaction of `tx_gas` gas: [`context`], with
/// Osaka's per-transaction gas cap (EIP-7825) lifted and the block's gas
/// limit raised when `tx_gas` is above the cap, as revm's own contract
/// benches do for compute-heavy code. Below the cap, nothing changes.
pub(crate) fn context_for_gas(db: Overlay, basefee: u64, tx_gas: u64) -> revm::handler::MainnetContext<Overlay> {
    let mut ctx = context(db, basefee);
    if tx_gas > TX_GAS_CAP {
        ctx.cfg.tx_gas_limit_cap = Some(u64::MAX);
        ctx.block.gas_limit = ctx.block.gas_limit.max(tx_gas);
    }
    ctx
}

/// Osaka's cap on a transaction's gas (EIP-7825): 2^24.
pub(crate) const TX_GAS_CAP: u64 = 1 << 24;

/// Swap in a fresh overlay (untimed, before each run).
pub fn reset(evm: &mut Evm, db: Overlay) {
    *evm.ctx.db_mut() = db;
}

pub type Outcome = ExecResultAndState<ExecutionResult, EvmState>;

/// What a successful call's outcome must also satisfy.
pub(crate) type OutcomeCheck = Box<dyn Fn(&Outcome) -> Result<(), String>>;

/// An EIP-1559 call from [`CALLER`] at zero fees (the benchmark block's
/// base fee is zero), so only execution is measured.
pub(crate) fn call_tx(to: Address, data: Bytes, access: Vec<(Address, Vec<B256>)>) -> TxEnv {
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

/// Below Osaka's per-transaction cap ([`TX_GAS_CAP`]).
pub(crate) const GAS_LIMIT: u64 = 16_000_000;

/// Execute `tx` without committing: the state changes come back in the outcome.
pub(crate) fn transact(evm: &mut Evm, tx: &TxEnv) -> Result<Outcome, String> {
    evm.transact(tx.clone()).map_err(|e| format!("transaction rejected before execution: {e}"))
}

/// `Ok` for a successful execution, else what stopped it.
pub(crate) fn expect_success(result: &ExecutionResult) -> Result<(), String> {
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
