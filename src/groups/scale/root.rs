//! State roots over a tier's tables: the incremental update on the stored
//! branch nodes, as a client computes it after each block, and the root
//! from scratch beside it. Both see the changeset as an overlay on the
//! tables (sorted in memory, as reth overlays a block's hashed post-state
//! on its database cursors), so the state on disk is never changed.
//!
//! The incremental walk: a stored branch node's child that no changed key
//! falls under is added to alloy-trie's `HashBuilder` by its stored hash
//! (`add_branch`), and nothing beneath it is read. A child with changes is
//! walked into when its node is stored (tree mask), or its leaves are read
//! from the hashed table and merged with the changes otherwise. So the work
//! grows with the changed paths' depth, log₁₆ of the state, not with it.
//!
//! Deletions (a cleared slot, a deleted account, a destroyed contract's
//! storage) can merge branch nodes above them, so a trie with any is
//! rebuilt from all its leaves instead, and its old nodes are named for
//! removal: correct, and cheap on the small states of blockchain tests; the
//! generated changesets and blocks never delete.
//!
//! The walk also hands back the branch nodes it rebuilt, which a client
//! writes beside the changed rows so that the next block walks on them.

use std::collections::{BTreeMap, BTreeSet};

use alloy_primitives::{B256, U256};
use alloy_trie::KECCAK_EMPTY;
use alloy_trie::{BranchNodeCompact, HashBuilder, Nibbles, TrieAccount, EMPTY_ROOT_HASH};
use signet_libmdbx::{Cursor, RoSync};

use super::gen::{self, Changeset};
use super::store::{self, db_error, decode_node, RoTxSync};
use super::tier::Tier;

/// An account's new fields, all but its storage root (which the walk computes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AccountChange {
    pub nonce: u64,
    pub balance: U256,
    pub code_hash: B256,
}

/// A changeset keyed the way the tables are: by hashed address and hashed slot, with trie leaf values.
#[derive(Debug, Clone, Default)]
pub struct Changes {
    /// Hashed address → its new fields; an address the state lacks is a new account.
    pub accounts: BTreeMap<B256, AccountChange>,
    /// Hashed address → its written slots, sorted: (hashed slot, storage leaf; empty when cleared).
    pub storage: BTreeMap<B256, Vec<(B256, Vec<u8>)>>,
    /// Accounts removed, with all their storage.
    pub deleted: BTreeSet<B256>,
    /// Accounts whose stored storage is gone before `storage` applies (destroyed, then created again).
    pub wiped: BTreeSet<B256>,
}

impl Changes {
    pub fn of(tier: Tier) -> Self {
        let mix = tier.mix();
        let set = Changeset::of(tier);
        let accounts = set
            .accounts
            .values()
            .map(|a| (a.hashed, AccountChange { nonce: a.nonce, balance: a.balance, code_hash: a.code_hash }))
            .collect();
        let storage = set
            .storage
            .iter()
            .map(|(k, writes)| {
                let owner = gen::account(&mix, *k).hashed;
                (owner, writes.iter().map(|(s, v)| (*s, gen::slot_leaf(*v))).collect())
            })
            .collect();
        Self { accounts, storage, ..Self::default() }
    }

    /// Account leaves and slots the changeset writes.
    pub fn size(&self) -> (usize, usize) {
        let owners_only = self.storage.keys().filter(|k| !self.accounts.contains_key(*k)).count();
        (self.accounts.len() + owners_only, self.storage.values().map(Vec::len).sum())
    }
}

type RoCursor<'t> = Cursor<'t, RoSync>;

fn cursor<'t>(txn: &'t RoTxSync, table: &str) -> Result<RoCursor<'t>, String> {
    let db = txn.open_db(Some(table)).map_err(|e| db_error("open table", e))?;
    txn.cursor(db).map_err(|e| db_error("cursor", e))
}

/// The first 32-byte key under `prefix`: its nibbles, then zeros.
fn lowest_key(prefix: &Nibbles) -> [u8; 32] {
    let mut key = [0u8; 32];
    prefix.pack_to(&mut key);
    key
}

/// Where a walk finds stored branch nodes and leaves.
trait Trie {
    /// The stored node with the smallest path ≥ `prefix` that starts with `prefix`.
    fn node_under(&mut self, prefix: &Nibbles) -> Result<Option<(Nibbles, BranchNodeCompact)>, String>;
    /// Every stored leaf whose key starts with `prefix`, in key order.
    fn leaves_under(&mut self, prefix: &Nibbles, out: &mut Vec<(B256, Vec<u8>)>) -> Result<(), String>;
}

/// The first node stored under `owner ‖ prefix` (keys: the owner, then one byte per nibble).
fn stored_node(
    nodes: &mut RoCursor<'_>,
    owner: &[u8],
    prefix: &Nibbles,
) -> Result<Option<(Nibbles, BranchNodeCompact)>, String> {
    let mut key = owner.to_vec();
    key.extend_from_slice(&prefix.to_vec());
    let found: Option<(Vec<u8>, Vec<u8>)> = nodes.set_range(&key).map_err(|e| db_error("seek", e))?;
    let Some((key, node)) = found.filter(|(key, _)| key.starts_with(owner)) else { return Ok(None) };
    let path = Nibbles::from_nibbles_unchecked(&key[owner.len()..]);
    if !path.starts_with(prefix) {
        return Ok(None);
    }
    Ok(Some((path, decode_node(&node)?)))
}

struct AccountTrie<'t> {
    nodes: RoCursor<'t>,
    leaves: RoCursor<'t>,
}

impl Trie for AccountTrie<'_> {
    fn node_under(&mut self, prefix: &Nibbles) -> Result<Option<(Nibbles, BranchNodeCompact)>, String> {
        stored_node(&mut self.nodes, &[], prefix)
    }

    fn leaves_under(&mut self, prefix: &Nibbles, out: &mut Vec<(B256, Vec<u8>)>) -> Result<(), String> {
        let mut next: Option<(Vec<u8>, Vec<u8>)> =
            self.leaves.set_range(&lowest_key(prefix)).map_err(|e| db_error("seek", e))?;
        while let Some((key, value)) = next {
            let key = B256::from_slice(&key);
            if !Nibbles::unpack(key).starts_with(prefix) {
                break;
            }
            out.push((key, value));
            next = self.leaves.next().map_err(|e| db_error("read", e))?;
        }
        Ok(())
    }
}

struct StorageTrie<'t> {
    owner: B256,
    nodes: RoCursor<'t>,
    leaves: RoCursor<'t>,
    /// The stored storage no longer counts.
    wiped: bool,
}

impl Trie for StorageTrie<'_> {
    fn node_under(&mut self, prefix: &Nibbles) -> Result<Option<(Nibbles, BranchNodeCompact)>, String> {
        if self.wiped {
            return Ok(None);
        }
        stored_node(&mut self.nodes, self.owner.as_slice(), prefix)
    }

    fn leaves_under(&mut self, prefix: &Nibbles, out: &mut Vec<(B256, Vec<u8>)>) -> Result<(), String> {
        if self.wiped {
            return Ok(());
        }
        let mut row: Option<Vec<u8>> =
            self.leaves.get_both_range(self.owner.as_slice(), &lowest_key(prefix)).map_err(|e| db_error("seek", e))?;
        while let Some(r) = row {
            let (key, value) = storage_leaf(&r)?;
            if !Nibbles::unpack(key).starts_with(prefix) {
                break;
            }
            out.push((key, value));
            row = self.leaves.next_dup::<(), Vec<u8>>().map_err(|e| db_error("read", e))?.map(|(_, v)| v);
        }
        Ok(())
    }
}

/// A hashed-storage row as (hashed slot, storage leaf).
fn storage_leaf(row: &[u8]) -> Result<(B256, Vec<u8>), String> {
    if row.len() < 32 || row.len() > 64 {
        return Err(format!("a hashed-storage row of {} bytes is malformed", row.len()));
    }
    Ok((B256::from_slice(&row[..32]), gen::slot_leaf(U256::from_be_slice(&row[32..]))))
}

/// The keys of `overlay` (sorted) that start with `prefix`.
fn under<'o>(overlay: &'o [(B256, Vec<u8>)], prefix: &Nibbles) -> &'o [(B256, Vec<u8>)] {
    let start = overlay.partition_point(|(k, _)| Nibbles::unpack(k) < *prefix);
    let len = overlay[start..].iter().take_while(|(k, _)| Nibbles::unpack(k).starts_with(prefix)).count();
    &overlay[start..start + len]
}

/// One trie's root after `overlay`'s writes, on its stored nodes.
struct Walk<'o, T> {
    trie: T,
    overlay: &'o [(B256, Vec<u8>)],
    hb: HashBuilder,
    leaves: Vec<(B256, Vec<u8>)>,
}

impl<'o, T: Trie> Walk<'o, T> {
    /// The root, and the branch nodes rebuilt on the way, by path. With
    /// `rebuild`, from every leaf instead of on the stored nodes.
    fn root(trie: T, overlay: &'o [(B256, Vec<u8>)], rebuild: bool) -> Result<(B256, Nodes), String> {
        let mut walk = Walk { trie, overlay, hb: HashBuilder::default().with_updates(true), leaves: Vec::new() };
        if rebuild {
            walk.leaves(Nibbles::default())?;
        } else {
            walk.subtree(Nibbles::default())?;
        }
        let root = walk.hb.root();
        let (_, nodes) = walk.hb.split();
        let mut nodes: Nodes = nodes.into_iter().collect();
        nodes.sort_unstable_by_key(|(path, _)| *path);
        Ok((root, nodes))
    }

    fn add(&mut self, key: B256, value: &[u8]) {
        self.hb.add_leaf(Nibbles::unpack(key), value);
    }

    /// Everything under `prefix`, in key order.
    fn subtree(&mut self, prefix: Nibbles) -> Result<(), String> {
        let Some((path, node)) = self.trie.node_under(&prefix)? else {
            return self.leaves(prefix);
        };
        // Only new keys can sit under `prefix` but outside the stored node's subtree.
        let new = under(self.overlay, &prefix);
        for (k, v) in new.iter().filter(|(k, _)| Nibbles::unpack(k) < path) {
            self.add(*k, v);
        }
        self.node(path, &node)?;
        for (k, v) in new.iter().filter(|(k, _)| Nibbles::unpack(k) > path && !Nibbles::unpack(k).starts_with(&path)) {
            self.add(*k, v);
        }
        Ok(())
    }

    fn node(&mut self, path: Nibbles, node: &BranchNodeCompact) -> Result<(), String> {
        for nibble in 0..16u8 {
            let mut child = path;
            child.push(nibble);
            let changed = !under(self.overlay, &child).is_empty();
            if !node.state_mask.is_bit_set(nibble) {
                if changed {
                    self.leaves(child)?;
                }
            } else if !changed && node.hash_mask.is_bit_set(nibble) {
                self.hb.add_branch(child, node.hash_for_nibble(nibble), node.tree_mask.is_bit_set(nibble));
            } else if node.tree_mask.is_bit_set(nibble) {
                self.subtree(child)?;
            } else {
                self.leaves(child)?;
            }
        }
        Ok(())
    }

    /// The stored leaves under `prefix` merged with the overlay's; the overlay wins, and an empty value removes the leaf.
    fn leaves(&mut self, prefix: Nibbles) -> Result<(), String> {
        let mut stored = std::mem::take(&mut self.leaves);
        stored.clear();
        self.trie.leaves_under(&prefix, &mut stored)?;
        let overlay = under(self.overlay, &prefix);
        let (mut i, mut j) = (0, 0);
        while i < stored.len() || j < overlay.len() {
            let take_overlay = j < overlay.len() && (i == stored.len() || overlay[j].0 <= stored[i].0);
            if take_overlay {
                if i < stored.len() && overlay[j].0 == stored[i].0 {
                    i += 1;
                }
                let (k, v) = &overlay[j];
                if !v.is_empty() {
                    self.hb.add_leaf(Nibbles::unpack(k), v);
                }
                j += 1;
            } else {
                let (k, v) = &stored[i];
                self.hb.add_leaf(Nibbles::unpack(k), v);
                i += 1;
            }
        }
        self.leaves = stored;
        Ok(())
    }
}

/// Branch nodes by path, sorted.
pub(crate) type Nodes = Vec<(Nibbles, BranchNodeCompact)>;

/// The branch nodes an incremental root rebuilt: the account trie's, and each changed storage trie's.
#[derive(Debug, Clone, Default)]
pub struct TrieUpdates {
    pub accounts: Nodes,
    pub storage: BTreeMap<B256, Nodes>,
    /// The changed accounts' new rows (their trie leaves, storage roots included; empty when deleted), sorted by hashed address.
    pub leaves: Vec<(B256, Vec<u8>)>,
    /// Stored nodes of rebuilt tries that no longer exist: (table, key).
    pub stale: Vec<(&'static str, Vec<u8>)>,
    /// Accounts whose stored storage rows all go (deleted or destroyed).
    pub wiped: Vec<B256>,
}

impl TrieUpdates {
    pub fn len(&self) -> usize {
        self.accounts.len() + self.storage.values().map(Vec::len).sum::<usize>()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The state root after `changes`, updated on the stored trie nodes.
pub fn incremental(txn: &RoTxSync, changes: &Changes) -> Result<B256, String> {
    incremental_with_updates(txn, changes).map(|(root, _)| root)
}

/// The state root after `changes`, updated on the stored trie nodes: each
/// changed contract's storage root first, then the account trie; with the
/// branch nodes that changed.
pub(crate) fn incremental_with_updates(txn: &RoTxSync, changes: &Changes) -> Result<(B256, TrieUpdates), String> {
    let mut storage_roots = BTreeMap::new();
    let mut updates = TrieUpdates::default();
    let none = Vec::new();
    let owners: BTreeSet<&B256> = changes.storage.keys().chain(&changes.wiped).collect();
    for owner in owners.into_iter().filter(|o| !changes.deleted.contains(*o)) {
        let slots = changes.storage.get(owner).unwrap_or(&none);
        let wiped = changes.wiped.contains(owner);
        let trie = StorageTrie {
            owner: *owner,
            nodes: cursor(txn, store::STORAGES_TRIE)?,
            leaves: cursor(txn, store::STORAGE)?,
            wiped,
        };
        let rebuild = wiped || slots.iter().any(|(_, v)| v.is_empty());
        let (root, nodes) = Walk::root(trie, slots, rebuild)?;
        if rebuild {
            stale_nodes(txn, store::STORAGES_TRIE, owner.as_slice(), &nodes, &mut updates.stale)?;
        }
        storage_roots.insert(*owner, root);
        updates.storage.insert(*owner, nodes);
    }
    for owner in &changes.deleted {
        stale_nodes(txn, store::STORAGES_TRIE, owner.as_slice(), &[], &mut updates.stale)?;
    }
    updates.wiped =
        changes.deleted.iter().chain(&changes.wiped).copied().collect::<BTreeSet<_>>().into_iter().collect();
    let accounts = txn.open_db(Some(store::ACCOUNTS)).map_err(|e| db_error("open table", e))?;
    let mut keys: Vec<B256> =
        changes.accounts.keys().chain(storage_roots.keys()).chain(&changes.deleted).copied().collect();
    keys.sort_unstable();
    keys.dedup();
    let mut overlay = Vec::with_capacity(keys.len());
    for key in keys {
        if changes.deleted.contains(&key) {
            overlay.push((key, Vec::new()));
            continue;
        }
        let stored: Option<Vec<u8>> = txn.get(accounts.dbi(), key.as_slice()).map_err(|e| db_error("read", e))?;
        let mut leaf = match (stored, changes.accounts.get(&key)) {
            (Some(stored), _) => decode_account(&stored)?,
            (None, Some(_)) => {
                TrieAccount { storage_root: EMPTY_ROOT_HASH, code_hash: KECCAK_EMPTY, ..Default::default() }
            }
            (None, None) => return Err(format!("account {key} has storage writes but is not in the state")),
        };
        if let Some(change) = changes.accounts.get(&key) {
            (leaf.nonce, leaf.balance, leaf.code_hash) = (change.nonce, change.balance, change.code_hash);
        }
        if let Some(root) = storage_roots.get(&key) {
            leaf.storage_root = *root;
        }
        overlay.push((key, alloy_rlp::encode(leaf)));
    }
    let trie = AccountTrie { nodes: cursor(txn, store::ACCOUNTS_TRIE)?, leaves: cursor(txn, store::ACCOUNTS)? };
    let rebuild = !changes.deleted.is_empty();
    let (root, nodes) = Walk::root(trie, &overlay, rebuild)?;
    if rebuild {
        stale_nodes(txn, store::ACCOUNTS_TRIE, &[], &nodes, &mut updates.stale)?;
    }
    updates.accounts = nodes;
    updates.leaves = overlay;
    Ok((root, updates))
}

/// The keys of `table`'s nodes under `owner` that `kept` does not rewrite.
fn stale_nodes(
    txn: &RoTxSync,
    table: &'static str,
    owner: &[u8],
    kept: &[(Nibbles, BranchNodeCompact)],
    out: &mut Vec<(&'static str, Vec<u8>)>,
) -> Result<(), String> {
    let kept: BTreeSet<Vec<u8>> = kept.iter().map(|(path, _)| [owner, &path.to_vec()].concat()).collect();
    let mut nodes = cursor(txn, table)?;
    let mut next: Option<(Vec<u8>, Vec<u8>)> = nodes.set_range(owner).map_err(|e| db_error("seek", e))?;
    while let Some((key, _)) = next {
        if !key.starts_with(owner) {
            break;
        }
        if !kept.contains(&key) {
            out.push((table, key));
        }
        next = nodes.next().map_err(|e| db_error("read", e))?;
    }
    Ok(())
}

fn decode_account(bytes: &[u8]) -> Result<TrieAccount, String> {
    alloy_rlp::Decodable::decode(&mut &bytes[..]).map_err(|e| format!("a stored account is malformed: {e}"))
}

/// The state root from scratch: every account and every slot read in key
/// order, every storage root recomputed, with `changes` applied.
pub(crate) fn from_scratch(txn: &RoTxSync, changes: &Changes) -> Result<B256, String> {
    let mut accounts = cursor(txn, store::ACCOUNTS)?;
    let mut storage = cursor(txn, store::STORAGE)?;
    let mut row: Option<(Vec<u8>, Vec<u8>)> = storage.first().map_err(|e| db_error("read", e))?;
    let mut state = HashBuilder::default();
    let mut next: Option<(Vec<u8>, Vec<u8>)> = accounts.first().map_err(|e| db_error("read", e))?;
    let none = Vec::new();
    while let Some((key, value)) = next {
        let key = B256::from_slice(&key);
        let mut slots = Vec::new();
        while let Some((owner, r)) = &row {
            if owner[..] != key[..] {
                break;
            }
            slots.push(storage_leaf(r)?);
            row = storage.next().map_err(|e| db_error("read", e))?;
        }
        let writes = changes.storage.get(&key).unwrap_or(&none);
        let mut storage_root = HashBuilder::default();
        let (mut i, mut j) = (0, 0);
        while i < slots.len() || j < writes.len() {
            if j < writes.len() && (i == slots.len() || writes[j].0 <= slots[i].0) {
                if i < slots.len() && writes[j].0 == slots[i].0 {
                    i += 1;
                }
                storage_root.add_leaf(Nibbles::unpack(writes[j].0), &writes[j].1);
                j += 1;
            } else {
                storage_root.add_leaf(Nibbles::unpack(slots[i].0), &slots[i].1);
                i += 1;
            }
        }
        let mut leaf = decode_account(&value)?;
        leaf.storage_root = if slots.is_empty() && writes.is_empty() { EMPTY_ROOT_HASH } else { storage_root.root() };
        if let Some(change) = changes.accounts.get(&key) {
            (leaf.nonce, leaf.balance, leaf.code_hash) = (change.nonce, change.balance, change.code_hash);
        }
        state.add_leaf(Nibbles::unpack(key), &alloy_rlp::encode(leaf));
        next = accounts.next().map_err(|e| db_error("read", e))?;
    }
    if let Some((owner, _)) = row {
        return Err(format!("storage rows of {} belong to no account", B256::from_slice(&owner)));
    }
    Ok(state.root())
}
