//! revm on the state at scale: cold SLOAD, SSTORE, BALANCE and EXTCODEHASH
//! through a revm `DatabaseRef` that reads the tier's MDBX tables (hashed
//! accounts, DUPSORT hashed storage), the way a client's state provider
//! does, instead of an in-memory map.
//!
//! A run executes one call of a straight-line program on a fresh overlay,
//! in a fresh read transaction; every account and slot it touches is cold
//! in EIP-2929's sense and comes from the database. The SLOAD and SSTORE
//! programs run at the address of the state's largest contract (its code
//! is installed in the overlay; its storage is the tier's), so their slots
//! sit in the deepest storage trie of the tier.

use std::rc::Rc;

use alloy_primitives::{keccak256, Address, B256, U256};
use revm::database::CacheDB;
use revm::database_interface::DBErrorMarker;
use revm::state::{AccountInfo, Bytecode};
use revm::{DatabaseRef, ExecuteEvm, MainBuilder};

use super::cache::{self, Cache, OnState};
use super::gen::{self, word};
use super::store::{self, db_error, RoTxSync, ScaleDb};
use crate::groups::evm::asm::{op, Asm};
use crate::groups::evm::exec;
use crate::measure::workload::Workload;
use crate::measure::workload::{expect_eq, stateful_case, Throughput};

/// Accesses per run.
pub(crate) const ACCESSES: usize = 100;
/// Different programs the runs cycle through, so warm runs do not touch the same entries.
const PROGRAMS: usize = 16;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Access {
    Sload,
    Sstore,
    Balance,
    Extcodehash,
}

#[derive(Debug)]
pub(crate) struct StateError(String);

impl std::fmt::Display for StateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StateError {}
impl DBErrorMarker for StateError {}

/// The tier's tables as revm's read-only database, in one read transaction.
pub(crate) struct MdbxState {
    txn: RoTxSync,
    accounts: signet_libmdbx::Database,
    storage: signet_libmdbx::Database,
    /// Only the block pipeline's state stores code; a tier's contracts have none to run.
    codes: Option<signet_libmdbx::Database>,
}

impl std::fmt::Debug for MdbxState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MdbxState")
    }
}

impl MdbxState {
    pub(crate) fn begin(env: &signet_libmdbx::Environment) -> Result<Self, String> {
        let txn = env.begin_ro_sync().map_err(|e| db_error("begin", e))?;
        let accounts = txn.open_db(Some(store::ACCOUNTS)).map_err(|e| db_error("open table", e))?;
        let storage = txn.open_db(Some(store::STORAGE)).map_err(|e| db_error("open table", e))?;
        let codes = txn.open_db(Some(store::BYTECODES)).ok();
        Ok(Self { txn, accounts, storage, codes })
    }
}

fn failed(e: impl std::fmt::Display) -> StateError {
    StateError(format!("MDBX read: {e}"))
}

impl DatabaseRef for MdbxState {
    type Error = StateError;

    fn basic_ref(&self, address: Address) -> Result<Option<AccountInfo>, StateError> {
        let value: Option<std::borrow::Cow<'_, [u8]>> =
            self.txn.get(self.accounts.dbi(), keccak256(address).as_slice()).map_err(failed)?;
        let Some(value) = value else { return Ok(None) };
        let leaf: alloy_trie::TrieAccount = alloy_rlp::Decodable::decode(&mut &value[..])
            .map_err(|e| StateError(format!("a stored account is malformed: {e}")))?;
        Ok(Some(AccountInfo {
            balance: leaf.balance,
            nonce: leaf.nonce,
            code_hash: leaf.code_hash,
            code: None,
            ..Default::default()
        }))
    }

    fn code_by_hash_ref(&self, code_hash: B256) -> Result<Bytecode, StateError> {
        let missing = || StateError(format!("the state stores no code {code_hash}, and it was asked for"));
        let table = self.codes.as_ref().ok_or_else(missing)?;
        let code: Option<std::borrow::Cow<'_, [u8]>> =
            self.txn.get(table.dbi(), code_hash.as_slice()).map_err(failed)?;
        Ok(Bytecode::new_raw(code.ok_or_else(missing)?.into_owned().into()))
    }

    fn storage_ref(&self, address: Address, index: U256) -> Result<U256, StateError> {
        let mut cursor = self.txn.cursor(self.storage).map_err(failed)?;
        let slot = keccak256(index.to_be_bytes::<32>());
        let row: Option<std::borrow::Cow<'_, [u8]>> =
            cursor.get_both_range(keccak256(address).as_slice(), slot.as_slice()).map_err(failed)?;
        Ok(match row {
            Some(row) if row.starts_with(slot.as_slice()) => U256::from_be_slice(&row[32..]),
            _ => U256::ZERO,
        })
    }

    fn block_hash_ref(&self, number: u64) -> Result<B256, StateError> {
        Ok(keccak256(number.to_be_bytes()))
    }
}

/// One program and what its post-state must hold.
struct Program {
    code: Bytecode,
    /// Slot index → (value before, value after) at the program's address.
    slots: Vec<(U256, U256, U256)>,
    /// Account → (balance, code hash) it must show.
    accounts: Vec<(Address, U256, B256)>,
}

fn program(db: &ScaleDb, access: Access, p: usize) -> Program {
    let mix = db.tier.mix();
    let mut a = Asm::new();
    let (mut slots, mut accounts) = (Vec::new(), Vec::new());
    let pick =
        |tag: &str, r: usize| u64::from_be_bytes(word(tag, &[(p * ACCESSES + r) as u64])[..8].try_into().unwrap());
    for r in 0..ACCESSES {
        match access {
            Access::Sload | Access::Sstore => {
                let s = gen::slot(0, pick("evm slot", r) % mix.slot_count(0));
                if access == Access::Sload {
                    a.push(s.index).op(op::SLOAD).op(op::POP);
                    slots.push((s.index, s.value, s.value));
                } else {
                    let fresh = s.value + U256::from(1);
                    a.push(fresh).push(s.index).op(op::SSTORE);
                    slots.push((s.index, s.value, fresh));
                }
            }
            Access::Balance | Access::Extcodehash => {
                let acct = gen::account(&mix, pick("evm account", r) % mix.accounts);
                a.push_address(acct.address)
                    .op(if access == Access::Balance { op::BALANCE } else { op::EXTCODEHASH })
                    .op(op::POP);
                accounts.push((acct.address, acct.balance, acct.code_hash));
            }
        }
    }
    a.op(op::STOP);
    Program { code: Bytecode::new_raw(a.code.into()), slots, accounts }
}

struct Calls {
    db: Rc<ScaleDb>,
    at: Address,
    programs: Vec<Program>,
    next: usize,
}

impl OnState for Calls {
    fn state(&self) -> &ScaleDb {
        &self.db
    }
}

fn call(c: &mut Calls) -> Result<(usize, exec::Outcome), String> {
    let i = c.next;
    c.next = (c.next + 1) % c.programs.len();
    let mut overlay = CacheDB::new(MdbxState::begin(&c.db.env())?);
    let code = c.programs[i].code.clone();
    let mut info = overlay.basic_ref(c.at).map_err(|e| e.to_string())?.unwrap_or_default();
    (info.code_hash, info.code) = (code.hash_slow(), Some(code));
    overlay.insert_account_info(c.at, info);
    let mut evm = exec::context(overlay, 0).build_mainnet();
    let tx = exec::call_tx(c.at, Default::default(), Vec::new());
    let outcome = evm.transact(tx).map_err(|e| format!("the call failed before execution: {e}"))?;
    Ok((i, outcome))
}

fn check(c: &Calls, out: Result<(usize, exec::Outcome), String>) -> Result<(), String> {
    let (i, outcome) = out?;
    exec::expect_success(&outcome.result)?;
    let p = &c.programs[i];
    for (index, before, after) in &p.slots {
        let slot = outcome
            .state
            .get(&c.at)
            .and_then(|a| a.storage.get(index))
            .ok_or_else(|| format!("slot {index} was not touched"))?;
        expect_eq("a slot's value before the call (read from MDBX)", slot.original_value, *before)?;
        expect_eq("a slot's value after the call", slot.present_value, *after)?;
    }
    for (address, balance, code_hash) in &p.accounts {
        let account = outcome.state.get(address).ok_or_else(|| format!("account {address} was not touched"))?;
        expect_eq("an account's balance (read from MDBX)", account.info.balance, *balance)?;
        expect_eq("an account's code hash (read from MDBX)", account.info.code_hash, *code_hash)?;
    }
    Ok(())
}

pub(super) fn workload(
    id: String,
    about: String,
    db: Rc<ScaleDb>,
    access: Access,
    cache: Cache,
) -> Result<Box<dyn Workload>, String> {
    let programs = (0..PROGRAMS).map(|p| program(&db, access, p)).collect();
    let at = gen::account(&db.tier.mix(), 0).address;
    let hooks = cache::hooks(cache);
    Ok(stateful_case(
        id,
        about,
        Throughput::Elements(ACCESSES as u64),
        Calls { db, at, programs, next: 0 },
        hooks,
        call,
        check,
    ))
}
