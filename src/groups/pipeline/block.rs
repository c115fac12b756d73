//! The pipeline's generated blocks: mixed traffic of signed EIP-1559
//! transactions filling a gas limit, on the state of a tier plus the
//! accounts the block needs (its senders, the suite's token, pair and
//! router contracts, a storage-heavy contract, the Prague system contracts).
//!
//! By count: 45% ETH transfers to the tier's own accounts, 35% ERC-20
//! transfers between the senders, 15% Uniswap-V2 swaps through the router,
//! 5% calls that write 16 slots each (8 existing, 8 new), and one contract
//! creation every 200 transactions. Everything comes from one ChaCha20
//! stream per block, so the same block comes out every time; only the ETH
//! transfers' recipients depend on the tier (they are its accounts), which
//! leaves gas, receipts and logs the same at every tier.
//!
//! [`Spec`] is what the execution specification is given to fill the
//! header (scripts/pipeline-reference.sh); its keccak256 is recorded beside
//! the filled values, so a changed generator cannot be checked against
//! stale ones.

use std::collections::BTreeMap;

use alloy_consensus::{SignableTransaction, Transaction, TxEip1559, TxEnvelope};
use alloy_primitives::{address, keccak256, Address, Bytes, TxKind, B256, U256};
use rand::Rng;

use crate::data::seed::{sign, signing_key};
use crate::data::Fixtures;
use crate::groups::evm::contracts::{abi_call, word};
use crate::groups::evm::genesis::{self, ETHER, PAIR, ROUTER, TOKEN_A, TOKEN_B};
use crate::groups::scale::gen as tier_gen;
use crate::groups::scale::Tier;
use crate::measure::error::Error;

/// The blocks, by name and gas limit. The first is the one `cargo bench` runs.
pub const BLOCKS: [(&str, u64); 3] = [("mixed_3m", 3_000_000), ("mixed_30m", 30_000_000), ("mixed_60m", 60_000_000)];

/// Senders, each with a key, ETH and both tokens.
pub const SENDERS: usize = 1_000;
/// The storage-heavy contract's slots before the block.
pub(crate) const STORED_SLOTS: u64 = 10_000;
/// Slots one storage-heavy call writes: half existing, half new.
pub(crate) const SLOTS_PER_CALL: usize = 16;

pub(crate) const STORAGE_HEAVY: Address = address!("0x00000000000000000000000000000000000f0000");
/// SSTORE(calldata[i], calldata[i + 32]) for each 64-byte pair of the calldata:
/// `PUSH0; loop: JUMPDEST CALLDATASIZE DUP2 LT PUSH1 9 JUMPI STOP; JUMPDEST DUP1
/// PUSH1 32 ADD CALLDATALOAD DUP2 CALLDATALOAD SSTORE PUSH1 64 ADD PUSH1 1 JUMP`.
pub(crate) const STORE_PAIRS_CODE: [u8; 24] = [
    0x5f, 0x5b, 0x36, 0x81, 0x10, 0x60, 0x09, 0x57, 0x00, 0x5b, 0x80, 0x60, 0x20, 0x01, 0x35, 0x81, 0x35, 0x55, 0x60,
    0x40, 0x01, 0x60, 0x01, 0x56,
];
pub(crate) const COINBASE: Address = address!("0x00000000000000000000000000000000c0ffee00");
/// The eip-7002 test's one externally owned account, left out of the system contracts taken from its `pre`.
const SYSTEM_SOURCE_SENDER: Address = address!("0x85298d386ba53c63b50e1148148218e885c00d0b");
const SYSTEM_SOURCE: &str = "blocktests/eest_eip7002_el_triggerable_withdrawals__test_eip_7002.json";

const GWEI: u128 = 1_000_000_000;
const CHAIN_ID: u64 = 1;

/// An account of the pre-state beyond the tier's.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AllocAccount {
    pub nonce: u64,
    pub balance: U256,
    pub code: Bytes,
    pub storage: BTreeMap<U256, U256>,
}

/// The block's environment: what its header holds before execution.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Env {
    pub number: u64,
    pub timestamp: u64,
    pub gas_limit: u64,
    pub base_fee: u64,
    pub coinbase: Address,
    pub prev_randao: B256,
    pub parent_hash: B256,
    pub parent_beacon_block_root: B256,
}

/// What the execution specification needs to fill a block: its tier, environment, extra accounts and transactions.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Spec {
    pub block: String,
    pub tier: String,
    pub env: Env,
    pub alloc: BTreeMap<Address, AllocAccount>,
    pub transactions: Vec<Bytes>,
}

impl Spec {
    /// keccak256 of the spec's JSON: what the filled reference records.
    pub fn digest(&self) -> B256 {
        keccak256(serde_json::to_vec(self).expect("a spec serialises"))
    }
}

/// What a block holds, by kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Mix {
    pub transfers: usize,
    pub erc20: usize,
    pub swaps: usize,
    pub storage_calls: usize,
    pub creations: usize,
}

impl Mix {
    pub fn describe(&self) -> String {
        format!(
            "{} ETH transfers, {} ERC-20 transfers, {} swaps, {} storage-heavy calls, {} creations",
            self.transfers, self.erc20, self.swaps, self.storage_calls, self.creations
        )
    }
}

/// A generated block before its header is filled.
pub struct Generated {
    pub spec: Spec,
    pub transactions: Vec<TxEnvelope>,
    /// The address of the key that signed each transaction (from the key, not recovered).
    pub senders: Vec<Address>,
    pub mix: Mix,
}

fn label(text: &str) -> B256 {
    keccak256(format!("ethbench pipeline: {text}"))
}

/// The storage-heavy contract's i-th stored slot.
fn stored_slot(i: u64) -> U256 {
    keccak256([b"ethbench pipeline slot".as_slice(), &i.to_be_bytes()].concat()).into()
}

/// The environment shared by every block but for its gas limit.
pub fn env(gas_limit: u64) -> Env {
    Env {
        number: 1,
        timestamp: crate::groups::evm::exec::block_env(0).timestamp.to::<u64>(),
        gas_limit,
        base_fee: GWEI as u64,
        coinbase: COINBASE,
        prev_randao: label("prev_randao"),
        parent_hash: label("parent hash"),
        parent_beacon_block_root: label("beacon root"),
    }
}

/// The senders' keys, the same for every block.
fn keys() -> Vec<k256::ecdsa::SigningKey> {
    let mut rng = crate::data::seed::rng("pipeline/senders");
    (0..SENDERS).map(|_| signing_key(&mut rng)).collect()
}

/// The accounts every block needs beyond the tier's, the same for every block and tier.
pub fn alloc(fx: &Fixtures) -> Result<BTreeMap<Address, AllocAccount>, Error> {
    let senders: Vec<Address> = keys().iter().map(|k| Address::from_public_key(k.verifying_key())).collect();
    let mut all = BTreeMap::new();
    for s in &senders {
        all.insert(
            *s,
            AllocAccount { nonce: 0, balance: U256::from(1_000 * ETHER), code: Bytes::new(), storage: BTreeMap::new() },
        );
    }
    let runtime = crate::groups::evm::world::runtime(fx)?;
    for g in genesis::genesis(&runtime, &senders).map_err(|e| Error::fixture(crate::data::CONTRACTS, e))? {
        let storage = g.storage.into_iter().filter(|(_, v)| !v.is_zero()).collect();
        all.insert(g.address, AllocAccount { nonce: 1, balance: U256::ZERO, code: g.code, storage });
    }
    let storage = (0..STORED_SLOTS).map(|i| (stored_slot(i), U256::from(i + 1))).collect();
    all.insert(
        STORAGE_HEAVY,
        AllocAccount { nonce: 1, balance: U256::ZERO, code: Bytes::from(STORE_PAIRS_CODE.to_vec()), storage },
    );
    for (address, account) in system_contracts(fx)? {
        all.insert(address, account);
    }
    Ok(all)
}

/// The Prague system contracts and the deposit contract, as a filled execution-spec-tests test deploys them.
fn system_contracts(fx: &Fixtures) -> Result<Vec<(Address, AllocAccount)>, Error> {
    #[derive(serde::Deserialize)]
    struct Pre {
        nonce: U256,
        balance: U256,
        code: Bytes,
        storage: BTreeMap<U256, U256>,
    }
    #[derive(serde::Deserialize)]
    struct Test {
        pre: BTreeMap<Address, Pre>,
    }
    let tests: BTreeMap<String, Test> = fx.json(SYSTEM_SOURCE)?;
    let test = tests.into_values().next().ok_or_else(|| Error::fixture(SYSTEM_SOURCE, "holds no test"))?;
    Ok(test
        .pre
        .into_iter()
        .filter(|(a, _)| *a != SYSTEM_SOURCE_SENDER)
        .map(|(a, p)| {
            let storage = p.storage.into_iter().filter(|(_, v)| !v.is_zero()).collect();
            (a, AllocAccount { nonce: p.nonce.to(), balance: p.balance, code: p.code, storage })
        })
        .collect())
}

/// What one kind of transaction is given, and the most it was measured to
/// use (by the execution specification, on mixed_3m), which the filling reckons with.
struct Kind {
    gas_limit: u64,
    reckoned: u64,
}

const TRANSFER: Kind = Kind { gas_limit: 21_000, reckoned: 21_000 };
const ERC20: Kind = Kind { gas_limit: 60_000, reckoned: 36_000 };
const SWAP: Kind = Kind { gas_limit: 150_000, reckoned: 100_000 };
const STORAGE_CALL: Kind = Kind { gas_limit: 300_000, reckoned: 265_000 };
const CREATION: Kind = Kind { gas_limit: 100_000, reckoned: 60_000 };

/// Init code that deploys [`STORE_PAIRS_CODE`]: CODECOPY the runtime after it, RETURN it.
fn init_code() -> Bytes {
    let len = STORE_PAIRS_CODE.len() as u8;
    let mut code = vec![0x60, len, 0x80, 0x60, 9, 0x5f, 0x39, 0x5f, 0xf3];
    code.extend_from_slice(&STORE_PAIRS_CODE);
    code.into()
}

/// Block `name` with gas limit `gas_limit` on tier `tier`'s state.
pub fn generate(fx: &Fixtures, name: &str, gas_limit: u64, tier: Tier) -> Result<Generated, Error> {
    let keys = keys();
    let addresses: Vec<Address> = keys.iter().map(|k| Address::from_public_key(k.verifying_key())).collect();
    let mix = tier.mix();
    let mut rng = crate::data::seed::rng(&format!("pipeline/{name}"));
    let mut nonces = vec![0u64; SENDERS];
    let (mut transactions, mut senders) = (Vec::new(), Vec::new());
    let mut reckoned = 0u64;
    loop {
        let i = transactions.len();
        let s = rng.random_range(0..SENDERS);
        let from = addresses[s];
        let roll = rng.random_range(0..100u32);
        let pick: u64 = rng.random();
        let amount = U256::from(rng.random_range(1..100_000u64));
        let (kind, to, value, input) = if i % 200 == 10 {
            (CREATION, TxKind::Create, U256::ZERO, init_code())
        } else {
            match roll {
                0..45 => {
                    let eoa = mix.contracts + pick % (mix.accounts - mix.contracts);
                    (
                        TRANSFER,
                        TxKind::Call(tier_gen::account(&mix, eoa).address),
                        amount * U256::from(1_000_000_000_000u64),
                        Bytes::new(),
                    )
                }
                45..80 => {
                    let token = if pick.is_multiple_of(2) { TOKEN_A } else { TOKEN_B };
                    let to = addresses[(pick >> 1) as usize % SENDERS];
                    let data = abi_call("transfer(address,uint256)", &[word(to), amount * U256::from(ETHER / 1_000)]);
                    (ERC20, TxKind::Call(token), U256::ZERO, data)
                }
                80..95 => {
                    let token_in = if pick.is_multiple_of(2) { TOKEN_A } else { TOKEN_B };
                    let data = abi_call(
                        "swapExactIn(address,address,uint256,uint256,address)",
                        &[word(PAIR), word(token_in), amount * U256::from(ETHER / 1_000), U256::ZERO, word(from)],
                    );
                    (SWAP, TxKind::Call(ROUTER), U256::ZERO, data)
                }
                _ => {
                    let mut data = Vec::with_capacity(64 * SLOTS_PER_CALL);
                    for j in 0..SLOTS_PER_CALL {
                        let slot = if j % 2 == 0 {
                            stored_slot(rng.random_range(0..STORED_SLOTS))
                        } else {
                            keccak256(
                                [
                                    b"ethbench pipeline new slot".as_slice(),
                                    name.as_bytes(),
                                    &(i as u64).to_be_bytes(),
                                    &(j as u64).to_be_bytes(),
                                ]
                                .concat(),
                            )
                            .into()
                        };
                        let value = U256::from(rng.random::<u64>() | 1);
                        data.extend_from_slice(&slot.to_be_bytes::<32>());
                        data.extend_from_slice(&value.to_be_bytes::<32>());
                    }
                    (STORAGE_CALL, TxKind::Call(STORAGE_HEAVY), U256::ZERO, Bytes::from(data))
                }
            }
        };
        // Every transaction must fit in what the block has left, reckoning each earlier one at its most.
        if reckoned + kind.gas_limit > gas_limit {
            break;
        }
        reckoned += kind.reckoned;
        let tx = TxEip1559 {
            chain_id: CHAIN_ID,
            nonce: nonces[s],
            gas_limit: kind.gas_limit,
            max_fee_per_gas: 10 * GWEI,
            max_priority_fee_per_gas: rng.random_range(1..200u128) * GWEI / 100,
            to,
            value,
            access_list: Default::default(),
            input,
        };
        nonces[s] += 1;
        let signature = sign(&keys[s], tx.signature_hash());
        transactions.push(TxEnvelope::Eip1559(tx.into_signed(signature)));
        senders.push(from);
    }
    let spec = Spec {
        block: name.to_owned(),
        tier: tier.to_string(),
        env: env(gas_limit),
        alloc: alloc(fx)?,
        transactions: transactions
            .iter()
            .map(|t| Bytes::from(alloy_eips::eip2718::Encodable2718::encoded_2718(t)))
            .collect(),
    };
    let mut kinds = Mix::default();
    for t in &transactions {
        match t.to() {
            None => kinds.creations += 1,
            Some(a) if a == STORAGE_HEAVY => kinds.storage_calls += 1,
            Some(a) if a == ROUTER => kinds.swaps += 1,
            Some(a) if a == TOKEN_A || a == TOKEN_B => kinds.erc20 += 1,
            Some(_) => kinds.transfers += 1,
        }
    }
    Ok(Generated { spec, transactions, senders, mix: kinds })
}
