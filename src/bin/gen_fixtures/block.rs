//! A mainnet-like block: ~200 signed transactions of every envelope type with
//! realistic calldata, their receipts with logs, and a complete post-Prague header.
//!
//! Shape choices (mainnet, late 2025): EIP-1559 dominates, legacy is still a
//! fifth of traffic, EIP-2930 is rare, a block carries a handful of blob and
//! EIP-7702 transactions. About a third of transactions are plain ETH
//! transfers, a third ERC-20 transfers, a quarter DEX/router calls with a few
//! hundred bytes of ABI-encoded calldata, and a few carry kilobytes (contract
//! deployments, batch submissions). ABI words are mostly zero-padded, as real
//! calldata is, rather than uniformly random.

use alloy_consensus::{
    proofs, Block, BlockBody, Header, Receipt, ReceiptEnvelope, ReceiptWithBloom, SignableTransaction, Signed,
    TxEip1559, TxEip2930, TxEip4844, TxEip7702, TxLegacy, EMPTY_OMMER_ROOT_HASH,
};
use alloy_eips::eip2930::{AccessList, AccessListItem};
use alloy_eips::eip4895::{Withdrawal, Withdrawals};
use alloy_eips::eip7685::EMPTY_REQUESTS_HASH;
use alloy_eips::eip7702::Authorization;
use alloy_primitives::{b256, Address, Bloom, Bytes, Log, Signature, TxKind, B256, B64, U256};
use k256::ecdsa::SigningKey;
use rand::seq::{IndexedMutRandom, IndexedRandom, SliceRandom};
use rand::Rng;
use rand_chacha::ChaCha20Rng;

use ethbench::data::seed::{sign, signing_key};
use ethbench::data::{BlockTx, Envelope};

pub struct GeneratedBlock {
    pub block: Block<BlockTx>,
    pub receipts: Vec<ReceiptEnvelope>,
    /// The address of the key that signed each transaction, in block order.
    pub senders: Vec<Address>,
}

const CHAIN_ID: u64 = 1;
const GWEI: u128 = 1_000_000_000;
const BLOB_GAS_PER_BLOB: u64 = 131_072;
/// keccak256("Transfer(address,address,uint256)")
const TRANSFER_TOPIC: B256 = b256!("ddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef");

/// Envelope types of a 200-transaction block, by count.
const TYPE_MIX: [(Envelope, usize); 5] = [
    (Envelope::Legacy, 44),
    (Envelope::Eip2930, 4),
    (Envelope::Eip1559, 138),
    (Envelope::Eip4844, 6),
    (Envelope::Eip7702, 8),
];

/// What a transaction does, which sets its calldata, gas and logs.
#[derive(Clone, Copy)]
enum Purpose {
    EthTransfer,
    TokenTransfer,
    Swap,
    BulkCalldata,
    Deploy,
}

fn purpose(rng: &mut ChaCha20Rng) -> Purpose {
    match rng.random_range(0..100) {
        0..30 => Purpose::EthTransfer,
        30..65 => Purpose::TokenTransfer,
        65..93 => Purpose::Swap,
        93..98 => Purpose::BulkCalldata,
        _ => Purpose::Deploy,
    }
}

struct Sender {
    key: SigningKey,
    address: Address,
    nonce: u64,
}

/// `tx` signed by `key`, as a block transaction.
fn signed<T>(key: &SigningKey, tx: T) -> BlockTx
where
    T: SignableTransaction<Signature>,
    Signed<T>: Into<BlockTx>,
{
    let signature = sign(key, tx.signature_hash());
    tx.into_signed(signature).into()
}

fn address(rng: &mut ChaCha20Rng) -> Address {
    Address::from(rng.random::<[u8; 20]>())
}

fn hash(rng: &mut ChaCha20Rng) -> B256 {
    B256::from(rng.random::<[u8; 32]>())
}

/// One 32-byte ABI word shaped like real calldata: small integers, addresses
/// and amounts are left-padded with zeros; only some words are dense.
fn abi_word(rng: &mut ChaCha20Rng, out: &mut Vec<u8>) {
    let significant = match rng.random_range(0..10) {
        0..3 => rng.random_range(0..=2),  // flags, offsets, small counts
        3..6 => 20,                       // an address
        6..9 => rng.random_range(8..=16), // an amount
        _ => 32,                          // a hash or packed data
    };
    out.extend(std::iter::repeat_n(0u8, 32 - significant));
    out.extend((0..significant).map(|_| rng.random::<u8>()));
}

fn calldata(rng: &mut ChaCha20Rng, words: usize) -> Bytes {
    let mut data = Vec::with_capacity(4 + 32 * words);
    data.extend(rng.random::<[u8; 4]>());
    for _ in 0..words {
        abi_word(rng, &mut data);
    }
    data.into()
}

fn access_list(rng: &mut ChaCha20Rng, contracts: &[Address], max_items: usize) -> AccessList {
    let items = rng.random_range(1..=max_items);
    AccessList(
        (0..items)
            .map(|_| AccessListItem {
                address: *contracts.choose(rng).expect("contracts is not empty"),
                storage_keys: (0..rng.random_range(0..=6)).map(|_| hash(rng)).collect(),
            })
            .collect(),
    )
}

fn log(rng: &mut ChaCha20Rng, emitter: Address, topics: usize, data_words: usize) -> Log {
    let mut all_topics = vec![if rng.random_bool(0.5) { TRANSFER_TOPIC } else { hash(rng) }];
    all_topics.extend((1..topics).map(|_| B256::left_padding_from(address(rng).as_slice())));
    let mut data = Vec::with_capacity(32 * data_words);
    for _ in 0..data_words {
        abi_word(rng, &mut data);
    }
    Log::new_unchecked(emitter, all_topics, data.into())
}

/// Calldata, gas used, gas limit and logs for one transaction.
struct Effect {
    to: TxKind,
    input: Bytes,
    value: U256,
    gas_used: u64,
    gas_limit: u64,
    logs: Vec<Log>,
    success: bool,
}

fn effect(rng: &mut ChaCha20Rng, purpose: Purpose, contracts: &[Address]) -> Effect {
    let contract = *contracts.choose(rng).expect("contracts is not empty");
    let (to, input, value, gas_used, logs) = match purpose {
        Purpose::EthTransfer => {
            let wei = U256::from(rng.random_range(10u128.pow(15)..5 * 10u128.pow(18)));
            (TxKind::Call(address(rng)), Bytes::new(), wei, 21_000, vec![])
        }
        Purpose::TokenTransfer => {
            let mut data = vec![0xa9, 0x05, 0x9c, 0xbb]; // transfer(address,uint256)
            data.extend([0u8; 12]);
            data.extend(address(rng));
            data.extend([0u8; 20]);
            data.extend(rng.random::<[u8; 12]>());
            let gas = rng.random_range(34_000..52_000);
            (TxKind::Call(contract), data.into(), U256::ZERO, gas, vec![log(rng, contract, 3, 1)])
        }
        Purpose::Swap => {
            let words = rng.random_range(6..=36);
            let logs = (0..rng.random_range(3..=6))
                .map(|_| {
                    let emitter = *contracts.choose(rng).expect("contracts is not empty");
                    let topics = rng.random_range(1..=4);
                    let data_words = rng.random_range(0..=4);
                    log(rng, emitter, topics, data_words)
                })
                .collect();
            let gas = rng.random_range(90_000..320_000);
            (TxKind::Call(contract), calldata(rng, words), U256::ZERO, gas, logs)
        }
        Purpose::BulkCalldata => {
            let words = rng.random_range(64..=256);
            let input = calldata(rng, words);
            let gas = 21_000 + 16 * input.len() as u64 + rng.random_range(20_000..200_000);
            let logs = (0..rng.random_range(0..=2)).map(|_| log(rng, contract, 2, 2)).collect();
            (TxKind::Call(contract), input, U256::ZERO, gas, logs)
        }
        Purpose::Deploy => {
            let words = rng.random_range(128..=384);
            let input = calldata(rng, words);
            let gas = 53_000 + 200 * input.len() as u64 + rng.random_range(50_000..400_000);
            let logs = (0..rng.random_range(0..=2))
                .map(|_| {
                    let emitter = address(rng);
                    log(rng, emitter, 2, 1)
                })
                .collect();
            (TxKind::Create, input, U256::ZERO, gas, logs)
        }
    };
    let failed = matches!(purpose, Purpose::Swap) && rng.random_bool(0.05);
    let gas_limit = if gas_used == 21_000 { 21_000 } else { gas_used * rng.random_range(110..160) / 100 };
    Effect {
        to,
        input,
        value,
        gas_used: if failed { gas_used / 2 } else { gas_used },
        gas_limit,
        logs: if failed { vec![] } else { logs },
        success: !failed,
    }
}

pub fn generate(rng: &mut ChaCha20Rng) -> GeneratedBlock {
    let mut senders: Vec<Sender> = (0..160)
        .map(|_| {
            let key = signing_key(rng);
            let address = Address::from_public_key(key.verifying_key());
            Sender { key, address, nonce: rng.random_range(0..5_000) }
        })
        .collect();
    let delegates: Vec<SigningKey> = (0..8).map(|_| signing_key(rng)).collect();
    let contracts: Vec<Address> = (0..24).map(|_| address(rng)).collect();

    let mut types: Vec<Envelope> = TYPE_MIX.iter().flat_map(|&(ty, n)| std::iter::repeat_n(ty, n)).collect();
    types.shuffle(rng);

    let base_fee = rng.random_range(GWEI / 20..3 * GWEI) as u64;
    let mut transactions = Vec::with_capacity(types.len());
    let mut receipts = Vec::with_capacity(types.len());
    let mut sender_addresses = Vec::with_capacity(types.len());
    let mut cumulative_gas = 0u64;
    let mut blobs = 0u64;

    for ty in types {
        let sender = senders.choose_mut(rng).expect("senders is not empty");
        let nonce = sender.nonce;
        sender.nonce += 1;
        let tip = rng.random_range(GWEI / 1000..2 * GWEI);
        let max_fee = 2 * base_fee as u128 + tip;
        let purpose = purpose(rng);
        let mut e = effect(rng, purpose, &contracts);
        let call_target = match e.to {
            TxKind::Call(to) => to,
            TxKind::Create => contracts[0],
        };

        let tx: BlockTx = match ty {
            Envelope::Legacy => {
                let tx = TxLegacy {
                    chain_id: Some(CHAIN_ID),
                    nonce,
                    gas_price: base_fee as u128 + tip,
                    gas_limit: e.gas_limit,
                    to: e.to,
                    value: e.value,
                    input: e.input.clone(),
                };
                signed(&sender.key, tx)
            }
            Envelope::Eip2930 => {
                let tx = TxEip2930 {
                    chain_id: CHAIN_ID,
                    nonce,
                    gas_price: base_fee as u128 + tip,
                    gas_limit: e.gas_limit,
                    to: e.to,
                    value: e.value,
                    access_list: access_list(rng, &contracts, 4),
                    input: e.input.clone(),
                };
                signed(&sender.key, tx)
            }
            Envelope::Eip1559 => {
                let list = if rng.random_bool(0.1) { access_list(rng, &contracts, 3) } else { AccessList::default() };
                let tx = TxEip1559 {
                    chain_id: CHAIN_ID,
                    nonce,
                    gas_limit: e.gas_limit,
                    max_fee_per_gas: max_fee,
                    max_priority_fee_per_gas: tip,
                    to: e.to,
                    value: e.value,
                    access_list: list,
                    input: e.input.clone(),
                };
                signed(&sender.key, tx)
            }
            Envelope::Eip4844 => {
                // Rollup batch posters: a few blobs, almost no calldata.
                let count = rng.random_range(1..=6u64);
                blobs += count;
                let hashes = (0..count)
                    .map(|_| {
                        let mut h = hash(rng);
                        h.0[0] = 0x01; // KZG versioned hash prefix
                        h
                    })
                    .collect();
                let words = rng.random_range(0..=3);
                e.input = calldata(rng, words);
                let tx = TxEip4844 {
                    chain_id: CHAIN_ID,
                    nonce,
                    gas_limit: e.gas_limit,
                    max_fee_per_gas: max_fee,
                    max_priority_fee_per_gas: tip,
                    to: call_target,
                    value: U256::ZERO,
                    access_list: AccessList::default(),
                    blob_versioned_hashes: hashes,
                    max_fee_per_blob_gas: rng.random_range(1..100 * GWEI),
                    input: e.input.clone(),
                };
                signed(&sender.key, tx)
            }
            Envelope::Eip7702 => {
                let authorization_list = (0..rng.random_range(1..=3))
                    .map(|_| {
                        let authority = delegates.choose(rng).expect("delegates is not empty");
                        let auth = Authorization {
                            chain_id: U256::from(CHAIN_ID),
                            address: *contracts.choose(rng).expect("contracts is not empty"),
                            nonce: rng.random_range(0..50),
                        };
                        let sig = sign(authority, auth.signature_hash());
                        auth.into_signed(sig)
                    })
                    .collect::<Vec<_>>();
                e.gas_used += 25_000 * authorization_list.len() as u64;
                e.gas_limit += 25_000 * authorization_list.len() as u64;
                let tx = TxEip7702 {
                    chain_id: CHAIN_ID,
                    nonce,
                    gas_limit: e.gas_limit,
                    max_fee_per_gas: max_fee,
                    max_priority_fee_per_gas: tip,
                    to: call_target,
                    value: U256::ZERO,
                    access_list: AccessList::default(),
                    authorization_list,
                    input: e.input.clone(),
                };
                signed(&sender.key, tx)
            }
        };

        cumulative_gas += e.gas_used;
        let receipt = Receipt { status: e.success.into(), cumulative_gas_used: cumulative_gas, logs: e.logs };
        let with_bloom = ReceiptWithBloom { logs_bloom: receipt.bloom_slow(), receipt };
        receipts.push(match ty {
            Envelope::Legacy => ReceiptEnvelope::Legacy(with_bloom),
            Envelope::Eip2930 => ReceiptEnvelope::Eip2930(with_bloom),
            Envelope::Eip1559 => ReceiptEnvelope::Eip1559(with_bloom),
            Envelope::Eip4844 => ReceiptEnvelope::Eip4844(with_bloom),
            Envelope::Eip7702 => ReceiptEnvelope::Eip7702(with_bloom),
        });
        transactions.push(tx);
        sender_addresses.push(sender.address);
    }

    let withdrawals = Withdrawals::new(
        (0..16u64)
            .map(|i| Withdrawal {
                index: 98_000_000 + i,
                validator_index: rng.random_range(0..1_900_000),
                address: address(rng),
                amount: rng.random_range(15_000_000..19_000_000), // gwei, a partial withdrawal
            })
            .collect(),
    );
    let mut logs_bloom = Bloom::ZERO;
    for r in &receipts {
        logs_bloom.accrue_bloom(&alloy_consensus::TxReceipt::bloom(r));
    }
    let header = Header {
        parent_hash: hash(rng),
        ommers_hash: EMPTY_OMMER_ROOT_HASH,
        beneficiary: address(rng),
        state_root: hash(rng),
        transactions_root: proofs::calculate_transaction_root(&transactions),
        receipts_root: proofs::calculate_receipt_root(&receipts),
        logs_bloom,
        difficulty: U256::ZERO,
        number: 23_500_000 + rng.random_range(0..100_000),
        gas_limit: 45_000_000,
        gas_used: cumulative_gas,
        timestamp: 1_761_000_000 + rng.random_range(0..1_000_000),
        extra_data: Bytes::from_static(b"ethbench fixture builder"),
        mix_hash: hash(rng),
        nonce: B64::ZERO,
        base_fee_per_gas: Some(base_fee),
        withdrawals_root: Some(proofs::calculate_withdrawals_root(&withdrawals)),
        blob_gas_used: Some(blobs * BLOB_GAS_PER_BLOB),
        excess_blob_gas: Some(rng.random_range(0..50_000_000)),
        parent_beacon_block_root: Some(hash(rng)),
        requests_hash: Some(EMPTY_REQUESTS_HASH),
        // Amsterdam fields, not yet on mainnet.
        block_access_list_hash: None,
        slot_number: None,
    };
    let body = BlockBody { transactions, ommers: vec![], withdrawals: Some(withdrawals) };
    GeneratedBlock { block: Block::new(header, body), receipts, senders: sender_addresses }
}
