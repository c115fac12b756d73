//! The deterministic fixture generator behind `cargo run --release --bin gen-fixtures`.
//!
//! Each file draws from its own ChaCha20 stream, seeded from [`SEED`] and the
//! file's name, so adding a fixture never changes the bytes of another one,
//! and regenerating yields byte-identical files.

use std::collections::BTreeMap;
use std::path::Path;

use alloy_eips::eip2718::Encodable2718;
use alloy_primitives::{keccak256, Address, Bytes, B256, U256};
use rand::{Rng, RngCore};
use rand_chacha::ChaCha20Rng;
use serde::Serialize;
use serde_json::json;

use ethbench::data::{
    self, sha256_hex, BlockExpected, Entry, Manifest, ReceiptsExpected, RlpValues, SendersExpected, StateExpected,
    StorageExpected, TxPick,
};
use ethbench::measure::error::Error;

use crate::{block, state};

pub use ethbench::data::seed::{rng, SEED};

/// One generated file with its manifest entry.
pub struct Generated {
    pub name: String,
    pub data: Vec<u8>,
    pub about: String,
    pub shape: serde_json::Value,
    pub expected: serde_json::Value,
}

fn to_json(value: &impl Serialize) -> serde_json::Value {
    serde_json::to_value(value).expect("fixture types serialize to JSON")
}

/// An integer of uniformly random bit length, so every RLP size class
/// (zero, single byte, 1..8 or 1..32 byte strings) is well represented.
fn u64_any_width(rng: &mut ChaCha20Rng) -> u64 {
    let bits = rng.random_range(0..=64);
    if bits == 0 {
        0
    } else {
        rng.random::<u64>() >> (64 - bits)
    }
}

fn u256_any_width(rng: &mut ChaCha20Rng) -> U256 {
    let bits = rng.random_range(0..=256usize);
    if bits == 0 {
        U256::ZERO
    } else {
        U256::from_be_bytes(rng.random::<[u8; 32]>()) >> (256 - bits)
    }
}

pub(crate) fn rlp_values() -> Generated {
    let mut rng = rng(data::RLP_VALUES);
    let u64s: Vec<u64> = (0..1024).map(|_| u64_any_width(&mut rng)).collect();
    let u256s: Vec<U256> = (0..1024).map(|_| u256_any_width(&mut rng)).collect();
    let strings: BTreeMap<String, Vec<Bytes>> = data::STRING_LENGTHS
        .iter()
        .map(|&len| {
            let count = if len > 64 { 32 } else { 128 };
            let items = (0..count)
                .map(|_| {
                    let mut s = vec![0u8; len];
                    rng.fill_bytes(&mut s);
                    Bytes::from(s)
                })
                .collect();
            (len.to_string(), items)
        })
        .collect();
    let access_list: Vec<(Address, Vec<B256>)> = (0..16)
        .map(|_| {
            let keys = (0..rng.random_range(0..=8)).map(|_| B256::from(rng.random::<[u8; 32]>())).collect();
            (Address::from(rng.random::<[u8; 20]>()), keys)
        })
        .collect();
    let values = RlpValues { u64: u64s, u256: u256s, strings, access_list };

    let mut sets = BTreeMap::new();
    sets.insert("u64".to_owned(), ethbench::groups::rlp::encoded_set(&values.u64));
    sets.insert("u256".to_owned(), ethbench::groups::rlp::encoded_set(&values.u256));
    for (len, items) in &values.strings {
        sets.insert(format!("bytes{len}"), ethbench::groups::rlp::encoded_set(items));
    }
    sets.insert(
        "access_list".to_owned(),
        ethbench::groups::rlp::encoded_set(&[ethbench::groups::rlp::access_list(&values)]),
    );

    let mut data = serde_json::to_vec_pretty(&values).expect("values serialize");
    data.push(b'\n');
    Generated {
        name: data::RLP_VALUES.into(),
        data,
        about: "integers of every width, byte strings around the 55-byte boundary, an access list".into(),
        shape: json!({
            "u64": values.u64.len(),
            "u256": values.u256.len(),
            "strings": values.strings.iter().map(|(k, v)| (k.clone(), v.len())).collect::<BTreeMap<_, _>>(),
            "access_list_addresses": values.access_list.len(),
        }),
        expected: to_json(&sets),
    }
}

/// The block, its receipts and its senders: three files from one stream.
pub(crate) fn block_files() -> Vec<Generated> {
    let mut rng = rng(data::BLOCK);
    let block::GeneratedBlock { block, receipts, senders } = block::generate(&mut rng);
    let txs = &block.body.transactions;

    let mut by_type = BTreeMap::new();
    let mut counts = BTreeMap::new();
    for ty in data::Envelope::ALL {
        let mut of_type: Vec<usize> = (0..txs.len()).filter(|&i| data::Envelope::of(&txs[i]) == ty).collect();
        counts.insert(ty.name(), of_type.len());
        of_type.sort_by_key(|&i| (txs[i].encode_2718_len(), i));
        let index = of_type[of_type.len() / 2];
        let pick = TxPick { index, hash: txs[index].trie_hash(), encoded_bytes: txs[index].encode_2718_len() };
        by_type.insert(ty.name().to_owned(), pick);
    }
    let hashes: Vec<u8> = txs.iter().flat_map(|tx| tx.trie_hash().0).collect();
    let calldata: Vec<usize> = txs.iter().map(|tx| alloy_consensus::Transaction::input(tx).len()).collect();

    let block_rlp = alloy_rlp::encode(&block);
    let block_expected = BlockExpected {
        header_hash: block.header.hash_slow(),
        header_bytes: alloy_rlp::encode(&block.header).len(),
        number: block.header.number,
        gas_used: block.header.gas_used,
        transactions: txs.len(),
        tx_hashes_keccak: keccak256(&hashes),
        transactions_root: block.header.transactions_root,
        withdrawals: block.body.withdrawals.as_ref().map_or(0, |w| w.len()),
        tx_by_type: by_type,
    };
    let receipts_expected = ReceiptsExpected {
        receipts: receipts.len(),
        logs: receipts.iter().map(|r| r.logs().len()).sum(),
        cumulative_gas_used: receipts.last().map_or(0, |r| r.cumulative_gas_used()),
        receipts_root: block.header.receipts_root,
    };
    let mut distinct = senders.clone();
    distinct.sort();
    distinct.dedup();
    let senders_expected = SendersExpected { senders: senders.len(), distinct: distinct.len() };
    let mut senders_json = serde_json::to_vec_pretty(&senders).expect("addresses serialize");
    senders_json.push(b'\n');

    vec![
        Generated {
            name: data::BLOCK.into(),
            about:
                "a mainnet-like post-Prague block: 200 signed transactions of all five envelope types, 16 withdrawals"
                    .into(),
            shape: json!({
                "transactions": txs.len(),
                "by_type": counts,
                "calldata_bytes": { "total": calldata.iter().sum::<usize>(), "max": calldata.iter().max() },
                "blob_gas_used": block.header.blob_gas_used,
            }),
            expected: to_json(&block_expected),
            data: block_rlp,
        },
        Generated {
            name: data::RECEIPTS.into(),
            data: alloy_rlp::encode(&receipts),
            about: "the block's 200 receipts with logs and blooms, as an RLP list (eth/68 Receipts form)".into(),
            shape: json!({ "receipts": receipts_expected.receipts, "logs": receipts_expected.logs }),
            expected: to_json(&receipts_expected),
        },
        Generated {
            name: data::SENDERS.into(),
            data: senders_json,
            about: "the address of the key that signed each transaction of the block, in block order".into(),
            shape: json!({ "senders": senders.len() }),
            expected: to_json(&senders_expected),
        },
    ]
}

/// The accounts and contract storage, with their roots.
pub(crate) fn state_files() -> Vec<Generated> {
    let accounts = state::accounts(&mut rng(data::ACCOUNTS));
    let contracts = state::storage(&mut rng(data::STORAGE));
    let state = ethbench::groups::trie::State { accounts, contracts };
    let storages = state.hashed_storages();

    let state_roots: BTreeMap<String, B256> = [1_000, 10_000, 100_000]
        .into_iter()
        .map(|n| (n.to_string(), ethbench::groups::trie::state_root(&state.hashed_accounts(n), &storages, false)))
        .collect();
    let hashed_addresses: Vec<u8> = state.accounts.iter().take(10_000).flat_map(|a| keccak256(a.address).0).collect();
    let hashed_slots: Vec<u8> =
        state.contracts[0].slots.iter().take(10_000).flat_map(|(k, _)| keccak256(k).0).collect();
    let accounts_expected = StateExpected { state_roots, hashed_addresses_keccak: keccak256(&hashed_addresses) };
    let slots: usize = state.contracts.iter().map(|c| c.slots.len()).sum();
    let storage_expected = StorageExpected {
        storage_roots: ethbench::groups::trie::storage_roots_sequential(&storages),
        slots,
        hashed_slots_keccak: keccak256(&hashed_slots),
    };
    let contracts_with: Vec<usize> = state.contracts.iter().map(|c| c.slots.len()).collect();

    vec![
        Generated {
            name: data::ACCOUNTS.into(),
            data: data::encode_accounts(&state.accounts),
            about: "100k accounts: address, nonce and balance; the first 10k include every contract".into(),
            shape: json!({
                "accounts": state.accounts.len(),
                "empty_balance": state.accounts.iter().filter(|a| a.balance == 0).count(),
                "nonce_zero": state.accounts.iter().filter(|a| a.nonce == 0).count(),
            }),
            expected: to_json(&accounts_expected),
        },
        Generated {
            name: data::STORAGE.into(),
            data: data::encode_storage(&state.contracts),
            about: "storage of 302 contracts: one of 10k slots, one of 1k, 300 of 1 to 512".into(),
            shape: json!({
                "contracts": state.contracts.len(),
                "slots": slots,
                "largest": contracts_with.iter().max(),
            }),
            expected: to_json(&storage_expected),
        },
    ]
}

/// The 100k-slot storage of the EVM storage workloads' contract.
pub(crate) fn evm_storage() -> Generated {
    let slots = state::evm_slots(&mut rng(data::EVM_STORAGE));
    let nonzero = slots.iter().filter(|(_, v)| !v.is_zero()).count();
    let keys: Vec<u8> = slots.iter().flat_map(|(k, _)| k.0).collect();
    let contract = data::ContractStorage { account: u32::MAX, code_hash: B256::ZERO, slots };
    Generated {
        name: data::EVM_STORAGE.into(),
        data: data::encode_storage(std::slice::from_ref(&contract)),
        about: "100k storage slots (mapping-style hashed keys, nonzero values) of the EVM storage workloads' contract"
            .into(),
        shape: json!({ "slots": contract.slots.len() }),
        expected: json!({ "slots": contract.slots.len(), "nonzero": nonzero, "keys_keccak": keccak256(&keys) }),
    }
}

/// A fixture file that is committed, not generated, with what to do if it is missing.
fn read_committed(dir: &Path, name: &str, fix: &str) -> Result<Vec<u8>, Error> {
    let path = dir.join(name);
    std::fs::read(&path).map_err(|e| Error::Input { path, problem: format!("{e}; {fix}") })
}

/// The solc output in fixtures/evm/contracts. `scripts/solc.sh` writes it
/// from the committed sources; the generator only records checksums, so the
/// benches never need a compiler.
pub fn contracts() -> Result<Vec<Generated>, Error> {
    let dir = data::Fixtures::default_dir();
    let read = |name: &str| read_committed(&dir, name, "run scripts/solc.sh to compile the contracts");
    let data = read(data::CONTRACTS)?;
    let build: data::ContractsBuild = serde_json::from_slice(&data).map_err(|e| Error::Input {
        path: dir.join(data::CONTRACTS),
        problem: format!("not what scripts/solc.sh writes: {e}"),
    })?;
    let mut files = Vec::new();
    for (name, file) in build.runtime_files() {
        let c = &build.contracts[name];
        files.push(Generated {
            name: file.clone(),
            data: read(&file)?,
            about: format!("runtime bytecode (hex) of `{name}` in {}", c.source),
            shape: json!({ "runtime_bytes": c.runtime_bytes }),
            expected: json!({}),
        });
    }
    files.push(Generated {
        name: data::CONTRACTS.into(),
        about: format!("how the contracts beside it were compiled: {}, optimizer, evmVersion", build.compiler),
        shape: json!({ "contracts": build.contracts.len() }),
        expected: json!({ "contracts": build.contracts.keys().collect::<Vec<_>>() }),
        data,
    });
    Ok(files)
}

/// The real mainnet blocks in fixtures/mainnet, copied from their source
/// and never generated: the generator only records their checksums, and, as
/// their expected values, what each block's published header says.
pub fn mainnet() -> Result<Vec<Generated>, Error> {
    let dir = data::Fixtures::default_dir();
    let read = |name: &str| read_committed(&dir, name, "restore fixtures/mainnet from git");
    let mut files = Vec::new();
    for number in data::MAINNET_BLOCKS {
        let header_name = data::mainnet_header(number);
        let header_data = read(&header_name)?;
        let expected: data::PublishedHeader = serde_json::from_slice(&header_data).map_err(|e| Error::Input {
            path: dir.join(&header_name),
            problem: format!("not a published-header file: {e}"),
        })?;
        files.push(Generated {
            name: data::mainnet_block(number),
            data: read(&data::mainnet_block(number))?,
            about: format!("mainnet block {number} as on the wire (header, transactions, ommers, withdrawals)"),
            shape: json!({ "transactions": expected.tx_count, "by_type": expected.tx_type_counts, "withdrawals": expected.withdrawal_count }),
            expected: to_json(&expected),
        });
        files.push(Generated {
            name: data::mainnet_receipts(number),
            data: read(&data::mainnet_receipts(number))?,
            about: format!(
                "the receipts of mainnet block {number}, one RLP list (eth/68 form, blooms computed from the logs)"
            ),
            shape: json!({ "receipts": expected.tx_count, "logs": expected.log_count }),
            expected: json!({ "see": data::mainnet_block(number) }),
        });
        files.push(Generated {
            name: header_name,
            data: header_data,
            about: format!("the values mainnet block {number}'s header publishes, as its source lists them"),
            shape: json!({}),
            expected: json!({}),
        });
    }
    Ok(files)
}

/// The precompile vectors, written by `scripts/precompile-vectors.py` and
/// committed: the generator records their checksum and what they hold.
pub(crate) fn precompile_vectors() -> Result<Generated, Error> {
    let dir = data::Fixtures::default_dir();
    let name = data::PRECOMPILE_VECTORS;
    let data = read_committed(&dir, name, "run scripts/precompile-vectors.py to write it")?;
    let vectors: Vec<data::PrecompileVector> = serde_json::from_slice(&data).map_err(|e| Error::Input {
        path: dir.join(name),
        problem: format!("not a list of precompile vectors: {e}"),
    })?;
    Ok(Generated {
        name: name.into(),
        about: "inputs and expected outputs of every Osaka precompile: published vectors and ones derived from them"
            .into(),
        shape: json!({ "vectors": vectors.len(), "failing": vectors.iter().filter(|v| v.fails).count() }),
        expected: json!({ "see": "each vector's `output` (or `fails`), with its `source`" }),
        data,
    })
}

/// The state roots of the state at scale's tiers up to 10^6, computed by the
/// execution specification (scripts/scale-reference.sh).
pub(crate) fn scale_references() -> Result<Vec<Generated>, Error> {
    let dir = data::Fixtures::default_dir();
    data::SCALE_REFERENCES
        .iter()
        .map(|name| {
            Ok(Generated {
                name: (*name).into(),
                data: read_committed(&dir, name, "run scripts/scale-reference.sh to write it")?,
                about: "state roots of a tier of the state at scale, before and after its changeset, by the execution specification".into(),
                shape: json!({}),
                expected: json!({ "see": "`root` and `root_after_changeset`, with `computed_by`" }),
            })
        })
        .collect()
}

/// The block pipeline's generated blocks as the execution specification
/// filled them on the 10^4 tier (scripts/pipeline-reference.sh).
pub(crate) fn pipeline_references() -> Result<Vec<Generated>, Error> {
    let dir = data::Fixtures::default_dir();
    data::PIPELINE_REFERENCES
        .iter()
        .map(|name| {
            Ok(Generated {
                name: (*name).into(),
                data: read_committed(&dir, name, "run scripts/pipeline-reference.sh to write it")?,
                about: "a generated pipeline block's header values (gas used, receipts root, bloom, requests hash, state roots) by the execution specification".into(),
                shape: json!({}),
                expected: json!({ "see": "every field but `block`, `tier` and `computed_by`, with `spec_digest` naming the generator's spec" }),
            })
        })
        .collect()
}

/// The filled state and blockchain tests in fixtures/statetests and
/// fixtures/blocktests, copied from their source or filled by
/// scripts/own-fixtures.sh: the generator records their checksums; their
/// expected values are their own.
pub(crate) fn community_tests() -> Result<Vec<Generated>, Error> {
    let dir = data::Fixtures::default_dir();
    let worstcase = "the worst case of each family `ethbench worst` found, filled by the execution specification (see fixtures/worstcase/README.md)";
    let state = data::STATE_TESTS.iter().map(|name| {
        (
            name,
            if name.starts_with("worstcase/") {
                worstcase
            } else {
                "a filled state test (see fixtures/statetests/README.md)"
            },
            "its post entries: state root and logs hash per fork and index",
        )
    });
    let block = data::BLOCK_TESTS.iter().map(|name| {
        (
            name,
            if name.starts_with("benchmark/") {
                "a hand-written worst case of the benchmark release (see fixtures/benchmark/README.md)"
            } else if name.starts_with("worstcase/") {
                worstcase
            } else {
                "a filled blockchain test (see fixtures/blocktests/README.md)"
            },
            "its block headers' roots, its lastblockhash and its postState",
        )
    });
    let corrupted = std::iter::once((
        &data::CORRUPTED_BLOCK_TEST,
        "the project's own blockchain test with one postState balance changed (scripts/own-fixtures.sh)",
        "to be refused: its postState root is not the chain's",
    ));
    let programs = std::iter::once((
        &"worstcase/programs.json",
        "the programs scripts/worstcase-fixtures.sh fills: each family's worst case re-made to spend the fixtures' gas (ethbench worst --from … --programs …)",
        "its code and calldata, the input the specification fills the worst-case tests from",
    ));
    state
        .chain(block)
        .chain(corrupted)
        .chain(programs)
        .map(|(name, about, expected)| {
            Ok(Generated {
                name: (*name).into(),
                data: read_committed(
                    &dir,
                    name,
                    "restore fixtures/statetests, fixtures/blocktests, fixtures/worstcase and fixtures/corrupted from git",
                )?,
                about: about.into(),
                shape: json!({}),
                expected: json!({ "see": expected }),
            })
        })
        .collect()
}

/// Every fixture file, in memory.
pub fn build() -> Result<Vec<Generated>, Error> {
    let mut files = vec![rlp_values()];
    files.extend(block_files());
    files.extend(state_files());
    files.push(evm_storage());
    files.extend(contracts()?);
    files.extend(mainnet()?);
    files.push(precompile_vectors()?);
    files.extend(scale_references()?);
    files.extend(pipeline_references()?);
    files.extend(community_tests()?);
    Ok(files)
}

pub fn manifest(files: &[Generated]) -> Manifest {
    Manifest {
        generator: data::REGENERATE.to_owned(),
        seed: SEED,
        files: files
            .iter()
            .map(|f| {
                let entry = Entry {
                    sha256: sha256_hex(&f.data),
                    bytes: f.data.len() as u64,
                    about: f.about.clone(),
                    shape: f.shape.clone(),
                    expected: f.expected.clone(),
                };
                (f.name.clone(), entry)
            })
            .collect(),
    }
}

/// Generate every fixture into `dir` and write the manifest last, so an
/// interrupted run leaves a manifest that flags the half-written files.
pub fn write(dir: &Path) -> Result<Manifest, Error> {
    let files = build()?;
    for f in &files {
        ethbench::measure::output::write_file(&dir.join(&f.name), &f.data)?;
    }
    let manifest = manifest(&files);
    let mut text = serde_json::to_vec_pretty(&manifest).expect("manifest serializes");
    text.push(b'\n');
    ethbench::measure::output::write_file(&dir.join(data::MANIFEST), &text)?;
    Ok(manifest)
}
