//! A block of 200 mixed transactions executed the way a client executes a
//! block: each transaction through `transact_commit`, in order, on one
//! state (`evm/block/*`).
//!
//! The transactions are drawn from the fixture's accounts by a fixed
//! ChaCha20 stream: ETH transfers (some to new accounts), ERC-20 transfers
//! of both tokens, and exact-input swaps through the Uniswap-V2 router,
//! sent by token holders at a 1 gwei base fee. `verify` replays the block
//! in a plain model (balances, token ledgers, the pair's constant-product
//! pricing) and compares every receipt and the final state with it.

use std::collections::BTreeMap;
use std::sync::Arc;

use alloy_primitives::{Address, Bytes, U256};
use rand::Rng;
use revm::context::result::ExecutionResult;
use revm::context::TxEnv;
use revm::context_interface::ContextTr;
use revm::primitives::TxKind;
use revm::{DatabaseRef, ExecuteCommitEvm};

use super::contracts::{abi_call, word};
use super::exec::{self, Evm};
use super::genesis::{self, amount_out, balance_slot, ETHER, PAIR, ROUTER, TOKEN_A, TOKEN_B};
use super::world::World;
use crate::measure::error::Error;
use crate::measure::workload::Workload;
use crate::measure::workload::{deferred, expect_eq, stateful_case, Hooks, Throughput};

pub const TRANSACTIONS: usize = 200;
pub(crate) const BASEFEE: u64 = 1_000_000_000;
const GWEI: u128 = 1_000_000_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Ether { to: Address, value: U256 },
    Token { token: Address, to: Address, amount: U256 },
    Swap { token_in: Address, amount_in: U256 },
}

/// One transaction of the block, as the model sees it.
#[derive(Debug, Clone)]
pub struct BlockTx {
    pub from: Address,
    pub kind: Kind,
    pub priority_fee: u128,
    pub env: TxEnv,
}

/// The block's transactions, from the fixture's accounts and a fixed stream.
pub fn transactions(world: &World) -> Vec<BlockTx> {
    let mut rng = crate::data::seed::rng("evm/block_200tx");
    let mut nonces: BTreeMap<Address, u64> = BTreeMap::new();
    let holders = &world.token_holders;
    (0..TRANSACTIONS)
        .map(|_| {
            let from = holders[rng.random_range(0..holders.len())];
            let nonce = *nonces.entry(from).or_insert_with(|| world.nonce(from));
            nonces.insert(from, nonce + 1);
            let roll = rng.random_range(0..100);
            let (kind, to, value, data, gas_limit) = match roll {
                0..30 => {
                    // One transfer in five goes to an address that does not exist yet.
                    let to = if rng.random_range(0..5) == 0 {
                        Address::from(rng.random::<[u8; 20]>())
                    } else {
                        world.accounts[rng.random_range(0..world.accounts.len())]
                    };
                    let value = U256::from(rng.random_range(1..100_000u64)) * U256::from(ETHER / 1_000_000);
                    (Kind::Ether { to, value }, to, value, Bytes::new(), 21_000)
                }
                30..70 => {
                    let token = if rng.random_bool(0.5) { TOKEN_A } else { TOKEN_B };
                    let to = world.accounts[rng.random_range(0..world.accounts.len())];
                    let amount = U256::from(rng.random_range(1..100_000u64)) * U256::from(ETHER / 1_000);
                    let data = abi_call("transfer(address,uint256)", &[word(to), amount]);
                    (Kind::Token { token, to, amount }, token, U256::ZERO, data, 100_000)
                }
                _ => {
                    let token_in = if rng.random_bool(0.5) { TOKEN_A } else { TOKEN_B };
                    let amount_in = U256::from(rng.random_range(1..1_000_000u64)) * U256::from(ETHER / 1_000);
                    let data = abi_call(
                        "swapExactIn(address,address,uint256,uint256,address)",
                        &[word(PAIR), word(token_in), amount_in, U256::ZERO, word(from)],
                    );
                    (Kind::Swap { token_in, amount_in }, ROUTER, U256::ZERO, data, 200_000)
                }
            };
            let priority_fee = rng.random_range(1..100u128) * GWEI / 100;
            let env = TxEnv::builder()
                .tx_type(Some(2))
                .caller(from)
                .nonce(nonce)
                .kind(TxKind::Call(to))
                .value(value)
                .data(data)
                .gas_limit(gas_limit)
                .gas_price(3 * GWEI)
                .gas_priority_fee(Some(priority_fee))
                .chain_id(Some(1))
                .build_fill();
            BlockTx { from, kind, priority_fee, env }
        })
        .collect()
}

pub struct BlockRun {
    world: Arc<World>,
    evm: Evm,
    txs: Vec<BlockTx>,
}

impl BlockRun {
    fn reset(&mut self) -> Result<(), String> {
        exec::reset(&mut self.evm, self.world.overlay(&[]));
        Ok(())
    }

    /// The timed part: every transaction, committed in order.
    fn run(&mut self) -> Result<Vec<ExecutionResult>, String> {
        self.txs
            .iter()
            .enumerate()
            .map(|(i, tx)| {
                self.evm.transact_commit(tx.env.clone()).map_err(|e| format!("transaction {i} rejected: {e}"))
            })
            .collect()
    }

    fn check(&self, results: Result<Vec<ExecutionResult>, String>) -> Result<(), String> {
        let results = results?;
        expect_eq("receipts", results.len(), self.txs.len())?;
        let mut model = Model::new(&self.world);
        for (i, (tx, result)) in self.txs.iter().zip(&results).enumerate() {
            exec::expect_success(result).map_err(|e| format!("transaction {i}: {e}"))?;
            let gas = result.tx_gas_used();
            if matches!(tx.kind, Kind::Ether { .. }) {
                expect_eq(&format!("gas of ETH transfer {i}"), gas, 21_000)?;
            }
            model.apply(tx, gas);
        }
        let db = self.evm.ctx.db();
        for (address, want) in &model.ether {
            let got = db.basic_ref(*address).map_err(|e| e.to_string())?.map_or(U256::ZERO, |a| a.balance);
            expect_eq(&format!("ETH balance of {address}"), got, *want)?;
        }
        for ((token, owner), want) in &model.tokens {
            let got = db.storage_ref(*token, balance_slot(*owner)).map_err(|e| e.to_string())?;
            expect_eq(&format!("token {token} balance of {owner}"), got, *want)?;
        }
        let timestamp = exec::block_env(BASEFEE).timestamp.to::<u64>();
        let reserves = genesis::reserves_word(model.reserves.0.to(), model.reserves.1.to(), timestamp);
        expect_eq("pair reserves", db.storage_ref(PAIR, U256::from(2)).map_err(|e| e.to_string())?, reserves)
    }
}

/// The block's effects, computed without an EVM.
struct Model<'w> {
    world: &'w World,
    ether: BTreeMap<Address, U256>,
    tokens: BTreeMap<(Address, Address), U256>,
    reserves: (U256, U256),
    beneficiary: Address,
}

impl<'w> Model<'w> {
    fn new(world: &'w World) -> Self {
        Self {
            world,
            ether: BTreeMap::new(),
            tokens: BTreeMap::new(),
            reserves: (U256::from(genesis::RESERVES.0), U256::from(genesis::RESERVES.1)),
            beneficiary: exec::block_env(BASEFEE).beneficiary,
        }
    }

    fn ether(&mut self, address: Address) -> &mut U256 {
        let world = self.world;
        self.ether.entry(address).or_insert_with(|| world.balance(address))
    }

    fn token(&mut self, token: Address, owner: Address) -> &mut U256 {
        let world = self.world;
        self.tokens.entry((token, owner)).or_insert_with(|| world.token_balance(token, owner))
    }

    fn apply(&mut self, tx: &BlockTx, gas: u64) {
        // EIP-1559: the sender pays base fee + tip per gas (the tip is below
        // the cap here); the base fee is burned and the tip goes to the beneficiary.
        let gas = U256::from(gas);
        *self.ether(tx.from) -= gas * U256::from(BASEFEE as u128 + tx.priority_fee);
        let beneficiary = self.beneficiary;
        *self.ether(beneficiary) += gas * U256::from(tx.priority_fee);
        match tx.kind {
            Kind::Ether { to, value } => {
                *self.ether(tx.from) -= value;
                *self.ether(to) += value;
            }
            Kind::Token { token, to, amount } => {
                *self.token(token, tx.from) -= amount;
                *self.token(token, to) += amount;
            }
            Kind::Swap { token_in, amount_in } => {
                let (r0, r1) = self.reserves;
                let a_in = token_in == TOKEN_A;
                let token_out = if a_in { TOKEN_B } else { TOKEN_A };
                let out = if a_in { amount_out(amount_in, r0, r1) } else { amount_out(amount_in, r1, r0) };
                *self.token(token_in, tx.from) -= amount_in;
                *self.token(token_in, PAIR) += amount_in;
                *self.token(token_out, PAIR) -= out;
                *self.token(token_out, tx.from) += out;
                self.reserves = if a_in { (r0 + amount_in, r1 - out) } else { (r0 - out, r1 + amount_in) };
            }
        }
    }
}

pub(crate) const ID: &str = "evm/block/execute_200tx";

impl BlockRun {
    fn new(world: &Arc<World>) -> Self {
        Self { world: world.clone(), evm: exec::evm(world.overlay(&[]), BASEFEE), txs: transactions(world) }
    }
}

/// Gas the block uses (the sum of its receipts' gas).
pub fn gas_used(world: &Arc<World>) -> Result<u64, String> {
    Ok(BlockRun::new(world).run()?.iter().map(|r| r.tx_gas_used()).sum())
}

pub fn workloads(world: &Arc<World>) -> Vec<Box<dyn Workload>> {
    let about = format!(
        "execute and commit {TRANSACTIONS} transactions (ETH and ERC-20 transfers, router swaps) at a 1 gwei base fee (elements = gas used)"
    );
    let world = world.clone();
    vec![deferred(
        ID,
        about.clone(),
        Box::new(move || {
            // Throughput is gas, as for the contracts, so Criterion's Melem/s reads as MGas/s.
            let gas = gas_used(&world).map_err(|e| Error::verify(ID, e))?;
            Ok(stateful_case(
                ID,
                about,
                Throughput::Gas(gas),
                BlockRun::new(&world),
                Hooks { reset: Some(BlockRun::reset), notes: None },
                BlockRun::run,
                BlockRun::check,
            ))
        }),
    )]
}
