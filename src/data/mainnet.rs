//! Real mainnet blocks, the first of Shanghai, Cancun and Prague, with
//! their receipts. Each is read once per process and refused unless its
//! body and receipts reproduce what its header publishes: the hash, the
//! transactions, receipts and withdrawals roots, the gas used and the counts.
//! Those values come from the published header (see the generator), never
//! from the suite's own output.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use alloy_consensus::{proofs, ReceiptEnvelope, Typed2718};
use alloy_primitives::Address;

use crate::data::Decoded;
use crate::data::Fixtures;
use crate::data::{self, EthBlock, PublishedHeader};
use crate::measure::error::Error;
use crate::measure::workload::Workload;
use crate::measure::workload::{deferred, expect_eq};

pub struct MainnetBlock {
    pub block: Decoded<EthBlock>,
    pub receipts: Decoded<Vec<ReceiptEnvelope>>,
    pub expected: PublishedHeader,
}

/// Every mainnet block of the fixtures, checked.
pub struct Mainnet(BTreeMap<u64, MainnetBlock>);

impl Mainnet {
    /// The mainnet fixtures, read, decoded and checked once per process.
    pub fn load(fx: &Fixtures) -> Result<Arc<Self>, Error> {
        fx.shared(Self::read)
    }

    fn read(fx: &Fixtures) -> Result<Self, Error> {
        let mut blocks = BTreeMap::new();
        for number in data::MAINNET_BLOCKS {
            let name = data::mainnet_block(number);
            let block = Decoded::read(fx, &name, "a block")?;
            let receipts: Decoded<Vec<ReceiptEnvelope>> =
                Decoded::read(fx, &data::mainnet_receipts(number), "receipts")?;
            let expected: PublishedHeader = fx.expected(&name)?;
            check_block(&block.value, &expected)
                .and_then(|()| check_receipts(&receipts.value, &expected))
                .map_err(|e| Error::fixture(&name, format!("header does not match its body: {e}")))?;
            blocks.insert(number, MainnetBlock { block, receipts, expected });
        }
        Ok(Self(blocks))
    }

    pub fn block(&self, number: u64) -> &MainnetBlock {
        &self.0[&number]
    }
}

/// A decoded block reproduces its published header: hash, number,
/// transaction count by envelope type, withdrawals and the two body roots.
pub(crate) fn check_block(block: &EthBlock, expected: &PublishedHeader) -> Result<(), String> {
    let header = &block.header;
    expect_eq("block number", header.number, expected.number)?;
    expect_eq("header hash", header.hash_slow(), expected.hash)?;
    let txs = &block.body.transactions;
    expect_eq("transaction count", txs.len(), expected.tx_count)?;
    let mut by_type = BTreeMap::new();
    for tx in txs {
        *by_type.entry(tx.ty().to_string()).or_insert(0) += 1;
    }
    expect_eq("transactions by type", &by_type, &expected.tx_type_counts)?;
    expect_eq("transactions root", proofs::calculate_transaction_root(txs), expected.transactions_root)?;
    let withdrawals = block.body.withdrawals.as_ref();
    expect_eq("withdrawal count", withdrawals.map_or(0, |w| w.len()), expected.withdrawal_count)?;
    let withdrawals_root = withdrawals.map(|w| proofs::calculate_withdrawals_root(w));
    expect_eq("withdrawals root", withdrawals_root, expected.withdrawals_root)
}

/// The receipts reproduce the header's receipts root, gas used and log count.
pub(crate) fn check_receipts(receipts: &[ReceiptEnvelope], expected: &PublishedHeader) -> Result<(), String> {
    expect_eq("receipt count", receipts.len(), expected.tx_count)?;
    expect_eq("receipts root", proofs::calculate_receipt_root(receipts), expected.receipts_root)?;
    let gas = receipts.last().map_or(0, |r| r.cumulative_gas_used());
    expect_eq("gas used (the last receipt's cumulative gas)", gas, expected.gas_used)?;
    expect_eq("log count", receipts.iter().map(|r| r.logs().len()).sum::<usize>(), expected.log_count)
}

/// Senders are not published; what the chain itself implies is that each
/// sender's nonces are consecutive within a block. `senders` must pass that.
pub fn check_nonce_sequences(block: &EthBlock, senders: &[Address]) -> Result<(), String> {
    use alloy_consensus::Transaction;
    let mut last: HashMap<Address, u64> = HashMap::new();
    for (i, (tx, sender)) in block.body.transactions.iter().zip(senders).enumerate() {
        if let Some(previous) = last.insert(*sender, tx.nonce()) {
            if tx.nonce() != previous + 1 {
                return Err(format!(
                    "transaction {i}: sender {sender} has nonce {} after {previous}; a wrong sender was recovered",
                    tx.nonce()
                ));
            }
        }
    }
    Ok(())
}

/// One workload per mainnet block, `id` and `about` known at once, `build`
/// run on the checked block the first time the workload is used.
pub fn each(
    fx: &Fixtures,
    id: impl Fn(u64) -> String,
    about: &str,
    build: impl Fn(&MainnetBlock, &str, &str) -> Result<Box<dyn Workload>, Error> + Clone + 'static,
) -> Vec<Box<dyn Workload>> {
    data::MAINNET_BLOCKS
        .into_iter()
        .map(|number| {
            let (id, about, fx) = (id(number), format!("{about} of mainnet block {number}"), fx.clone());
            let prepare = {
                let (id, about, build) = (id.clone(), about.clone(), build.clone());
                Box::new(move || build(Mainnet::load(&fx)?.block(number), &id, &about))
            };
            deferred(id, about, prepare)
        })
        .collect()
}
