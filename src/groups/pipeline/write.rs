//! A block's writes to the state's tables as one batch, applied in one
//! write transaction and committed durably, and the batch that undoes it.
//!
//! The batch is what a client persists after a block: the changed
//! accounts' rows, the changed slots (a DUPSORT row is replaced by
//! deleting the old one and adding the new one), the rebuilt branch nodes
//! of both tries, and new contracts' code.

use alloy_primitives::{Bytes, B256, U256};
use signet_libmdbx::{Environment, WriteFlags};

use crate::groups::scale::gen::slot_leaf;
use crate::groups::scale::root::{AccountChange, Changes, TrieUpdates};
use crate::groups::scale::store::{self, db_error, storage_row};

/// One change to one table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Write {
    /// Set `key` to `value`, replacing what it held.
    Put { table: &'static str, key: Vec<u8>, value: Vec<u8> },
    /// Remove `key`.
    Delete { table: &'static str, key: Vec<u8> },
    /// Add the duplicate `value` under `key` (a DUPSORT table).
    AddDup { table: &'static str, key: Vec<u8>, value: Vec<u8> },
    /// Remove the duplicate `value` under `key`.
    RemoveDup { table: &'static str, key: Vec<u8>, value: Vec<u8> },
    /// Remove every duplicate under `key`.
    RemoveAllDups { table: &'static str, key: Vec<u8> },
}

impl Write {
    fn table(&self) -> &'static str {
        match self {
            Write::Put { table, .. }
            | Write::Delete { table, .. }
            | Write::AddDup { table, .. }
            | Write::RemoveDup { table, .. }
            | Write::RemoveAllDups { table, .. } => table,
        }
    }
}

/// A slot's change: its owner's and its own hashed key, its value before and after (zero: absent).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SlotWrite {
    pub owner: B256,
    pub slot: B256,
    pub old: U256,
    pub new: U256,
}

/// The changed state keyed as the tables are.
#[derive(Debug, Clone, Default)]
pub struct Hashed {
    pub changes: Changes,
    pub(crate) slots: Vec<SlotWrite>,
    pub codes: Vec<(B256, Bytes)>,
}

impl Hashed {
    /// Account `owner` (hashed) takes `change`, and its slots (hashed) go from `old` to `new` (zero: cleared).
    pub(crate) fn add(
        &mut self,
        owner: B256,
        change: AccountChange,
        slots: impl IntoIterator<Item = (B256, U256, U256)>,
    ) {
        self.changes.accounts.insert(owner, change);
        let mut leaves = Vec::new();
        for (slot, old, new) in slots {
            leaves.push((slot, if new.is_zero() { Vec::new() } else { slot_leaf(new) }));
            self.slots.push(SlotWrite { owner, slot, old, new });
        }
        if !leaves.is_empty() {
            leaves.sort_unstable_by_key(|(slot, _)| *slot);
            self.changes.storage.insert(owner, leaves);
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Batch(pub Vec<Write>);

impl Batch {
    /// The writes that persist a changed state: the account rows and
    /// branch nodes of `updates` (and the removal of the rows and nodes it
    /// names gone), the slots, and the new code.
    pub fn of(updates: &TrieUpdates, slots: &[SlotWrite], codes: &[(B256, Bytes)]) -> Self {
        let mut w = Vec::with_capacity(updates.leaves.len() + 2 * slots.len() + updates.len() + codes.len());
        for owner in &updates.wiped {
            w.push(Write::RemoveAllDups { table: store::STORAGE, key: owner.to_vec() });
        }
        for (key, leaf) in &updates.leaves {
            w.push(match leaf.is_empty() {
                true => Write::Delete { table: store::ACCOUNTS, key: key.to_vec() },
                false => Write::Put { table: store::ACCOUNTS, key: key.to_vec(), value: leaf.clone() },
            });
        }
        for s in slots {
            if !s.old.is_zero() && !updates.wiped.contains(&s.owner) {
                w.push(Write::RemoveDup {
                    table: store::STORAGE,
                    key: s.owner.to_vec(),
                    value: storage_row(s.slot, s.old),
                });
            }
            if !s.new.is_zero() {
                w.push(Write::AddDup {
                    table: store::STORAGE,
                    key: s.owner.to_vec(),
                    value: storage_row(s.slot, s.new),
                });
            }
        }
        for (path, node) in &updates.accounts {
            w.push(Write::Put { table: store::ACCOUNTS_TRIE, key: path.to_vec(), value: store::encode_node(node) });
        }
        for (owner, nodes) in &updates.storage {
            for (path, node) in nodes {
                let mut key = owner.to_vec();
                key.extend_from_slice(&path.to_vec());
                w.push(Write::Put { table: store::STORAGES_TRIE, key, value: store::encode_node(node) });
            }
        }
        for (table, key) in &updates.stale {
            w.push(Write::Delete { table, key: key.clone() });
        }
        for (hash, code) in codes {
            w.push(Write::Put { table: store::BYTECODES, key: hash.to_vec(), value: code.to_vec() });
        }
        Batch(w)
    }

    /// Apply every write in one write transaction and commit it (durably,
    /// when the environment was opened so): all of it lands, or none.
    pub(crate) fn apply(&self, env: &Environment) -> Result<(), String> {
        let txn = env.begin_rw_sync().map_err(|e| db_error("begin", e))?;
        let mut tables = Vec::<(&str, signet_libmdbx::Database)>::with_capacity(5);
        for write in &self.0 {
            let name = write.table();
            let db = match tables.iter().find(|(n, _)| *n == name) {
                Some((_, db)) => *db,
                None => {
                    let db = txn.open_db(Some(name)).map_err(|e| db_error("open table", e))?;
                    tables.push((name, db));
                    db
                }
            };
            match write {
                Write::Put { key, value, .. } | Write::AddDup { key, value, .. } => txn
                    .put(db, key, value, WriteFlags::empty())
                    .map_err(|e| db_error(&format!("put into {name}"), e))?,
                Write::Delete { key, .. } | Write::RemoveAllDups { key, .. } => {
                    txn.del(db, key, None).map_err(|e| db_error(&format!("delete from {name}"), e))?;
                }
                Write::RemoveDup { key, value, .. } => {
                    if !txn.del(db, key, Some(value)).map_err(|e| db_error(&format!("delete from {name}"), e))? {
                        return Err(format!(
                            "a row to replace in {name} was not there: the state is not the one the block was built on"
                        ));
                    }
                }
            }
        }
        txn.commit().map_err(|e| db_error("commit", e))
    }

    /// The batch that puts back what this one overwrites, read from the
    /// state before it is applied (each key is written once per batch).
    pub(crate) fn inverse(&self, env: &Environment) -> Result<Batch, String> {
        let txn = env.begin_ro_sync().map_err(|e| db_error("begin", e))?;
        let mut undo = Vec::with_capacity(self.0.len());
        for write in self.0.iter().rev() {
            undo.push(match write {
                Write::Put { table, key, .. } | Write::Delete { table, key } => {
                    let db = txn.open_db(Some(table)).map_err(|e| db_error("open table", e))?;
                    let old: Option<Vec<u8>> = txn.get(db.dbi(), key).map_err(|e| db_error("read", e))?;
                    match old {
                        Some(value) => Write::Put { table, key: key.clone(), value },
                        None => Write::Delete { table, key: key.clone() },
                    }
                }
                Write::AddDup { table, key, value } => {
                    Write::RemoveDup { table, key: key.clone(), value: value.clone() }
                }
                Write::RemoveDup { table, key, value } => {
                    Write::AddDup { table, key: key.clone(), value: value.clone() }
                }
                Write::RemoveAllDups { table, key } => {
                    let db = txn.open_db(Some(table)).map_err(|e| db_error("open table", e))?;
                    let mut cursor = txn.cursor(db).map_err(|e| db_error("cursor", e))?;
                    let mut row: Option<Vec<u8>> = cursor.set(key).map_err(|e| db_error("read", e))?;
                    while let Some(value) = row {
                        undo.push(Write::AddDup { table, key: key.clone(), value });
                        row = cursor.next_dup::<(), Vec<u8>>().map_err(|e| db_error("read", e))?.map(|(_, v)| v);
                    }
                    continue;
                }
            });
        }
        Ok(Batch(undo))
    }
}
