//! The trie workloads against published vectors and against a naive
//! recursive Merkle-Patricia implementation written from the Yellow Paper
//! (appendix D), independent of alloy-trie's streaming `HashBuilder`.

use alloy_primitives::{b256, keccak256, B256};
use alloy_rlp::{Encodable, Header};
use alloy_trie::{HashBuilder, Nibbles, TrieAccount, EMPTY_ROOT_HASH};
use ethbench::data::{self, StateExpected, StorageExpected};
use ethbench::groups::trie::{self, State};
use ethbench::Fixtures;

fn rlp_list(items: &[Vec<u8>]) -> Vec<u8> {
    let payload: Vec<u8> = items.concat();
    let mut out = Vec::new();
    Header { list: true, payload_length: payload.len() }.encode(&mut out);
    out.extend(payload);
    out
}

fn rlp_bytes(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    bytes.encode(&mut out);
    out
}

fn hex_prefix(nibbles: &[u8], leaf: bool) -> Vec<u8> {
    let flag = if leaf { 2 } else { 0 } + (nibbles.len() % 2) as u8;
    let mut out = Vec::new();
    let rest = if nibbles.len() % 2 == 1 {
        out.push(flag << 4 | nibbles[0]);
        &nibbles[1..]
    } else {
        out.push(flag << 4);
        nibbles
    };
    out.extend(rest.chunks(2).map(|p| p[0] << 4 | p[1]));
    out
}

/// A child reference: nodes shorter than 32 bytes are inlined, others hashed.
fn reference(node: Vec<u8>) -> Vec<u8> {
    if node.len() < 32 {
        node
    } else {
        rlp_bytes(keccak256(&node).as_slice())
    }
}

/// RLP of the node holding `items` (nibble keys, raw values), all sharing `depth` nibbles.
fn node(items: &[(Vec<u8>, Vec<u8>)], depth: usize) -> Vec<u8> {
    if let [(key, value)] = items {
        return rlp_list(&[rlp_bytes(&hex_prefix(&key[depth..], true)), rlp_bytes(value)]);
    }
    let first = &items[0].0;
    let common = (depth..)
        .take_while(|&i| items.iter().all(|(k, _)| k.len() > i && first.len() > i && k[i] == first[i]))
        .count();
    if common > 0 {
        let child = node(items, depth + common);
        return rlp_list(&[rlp_bytes(&hex_prefix(&first[depth..depth + common], false)), reference(child)]);
    }
    let mut branch = Vec::with_capacity(17);
    for nibble in 0..16u8 {
        let children: Vec<(Vec<u8>, Vec<u8>)> =
            items.iter().filter(|(k, _)| k.len() > depth && k[depth] == nibble).cloned().collect();
        branch.push(if children.is_empty() { vec![0x80] } else { reference(node(&children, depth + 1)) });
    }
    let value = items.iter().find(|(k, _)| k.len() == depth).map(|(_, v)| v.clone());
    branch.push(value.map_or(vec![0x80], |v| rlp_bytes(&v)));
    rlp_list(&branch)
}

fn naive_root(items: &[(Vec<u8>, Vec<u8>)]) -> B256 {
    if items.is_empty() {
        return EMPTY_ROOT_HASH;
    }
    keccak256(node(items, 0))
}

fn nibbles(bytes: &[u8]) -> Vec<u8> {
    bytes.iter().flat_map(|b| [b >> 4, b & 0x0f]).collect()
}

#[test]
fn empty_trie_root_is_the_published_constant() {
    let published = b256!("56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421");
    assert_eq!(HashBuilder::default().root(), published);
    assert_eq!(trie::storage_root(&[]), published);
    assert_eq!(naive_root(&[]), published);
}

/// The `doe/dog/dogglesworth` vector of the Ethereum trie tests. Its keys
/// are not hashed and `dog` is a prefix of `dogglesworth`, which a secure
/// trie never has and `HashBuilder` does not accept, so this checks the naive
/// trie; the tests below then hold `HashBuilder` to the naive trie.
#[test]
fn doe_dog_dogglesworth() {
    let published = b256!("8aad789dff2f538bca5d8ea56e8abe10f4c7ba3a5dea95fea4cd6e7c3a1168d3");
    let pairs: [(&[u8], &[u8]); 3] = [(b"doe", b"reindeer"), (b"dog", b"puppy"), (b"dogglesworth", b"cat")];
    let items: Vec<(Vec<u8>, Vec<u8>)> = pairs.iter().map(|(k, v)| (nibbles(k), v.to_vec())).collect();
    assert_eq!(naive_root(&items), published);
}

/// The `singleItem` vector of the trie tests, through both implementations.
#[test]
fn single_item() {
    let published = b256!("d23786fb4a010da3ce639d66d5e904a11dbc02746d1ce25029e53290cabf28ab");
    let value = [b'a'; 50];
    let mut hb = HashBuilder::default();
    hb.add_leaf(Nibbles::unpack(b"A"), &value);
    assert_eq!(hb.root(), published);
    assert_eq!(naive_root(&[(nibbles(b"A"), value.to_vec())]), published);
}

#[test]
fn storage_roots_match_the_naive_trie_and_the_manifest() {
    let fx = Fixtures::open_default().unwrap_or_else(|e| panic!("{e}"));
    let expected: StorageExpected = fx.expected(data::STORAGE).unwrap();
    let state = State::load(&fx).unwrap();
    // The 1k-slot contract and a few small ones.
    for (i, storage) in state.hashed_storages().iter().enumerate().skip(1).take(6) {
        let items: Vec<(Vec<u8>, Vec<u8>)> =
            storage.slots.iter().map(|(k, v)| (nibbles(k.as_slice()), alloy_rlp::encode(v))).collect();
        assert_eq!(naive_root(&items), expected.storage_roots[i], "contract {i}");
        assert_eq!(trie::storage_root(&storage.slots), expected.storage_roots[i], "contract {i}");
    }
}

#[test]
fn state_root_of_1k_accounts_matches_the_naive_trie() {
    let fx = Fixtures::open_default().unwrap_or_else(|e| panic!("{e}"));
    let expected: StateExpected = fx.expected(data::ACCOUNTS).unwrap();
    let state = State::load(&fx).unwrap();
    let storages = state.hashed_storages();
    let roots = trie::storage_roots_sequential(&storages);
    let items: Vec<(Vec<u8>, Vec<u8>)> = state
        .hashed_accounts(1_000)
        .iter()
        .map(|a| {
            let account: TrieAccount = trie::trie_account(a, &storages, &roots);
            (nibbles(a.key.as_slice()), alloy_rlp::encode(account))
        })
        .collect();
    assert_eq!(naive_root(&items), expected.state_roots["1000"]);
}

#[test]
fn parallel_and_sequential_state_roots_agree() {
    let fx = Fixtures::open_default().unwrap_or_else(|e| panic!("{e}"));
    let state = State::load(&fx).unwrap();
    let storages = state.hashed_storages();
    let accounts = state.hashed_accounts(10_000);
    assert_eq!(trie::storage_roots_parallel(&storages), trie::storage_roots_sequential(&storages));
    assert_eq!(trie::state_root(&accounts, &storages, true), trie::state_root(&accounts, &storages, false));
}
