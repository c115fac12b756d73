//! The per-block roots a client recomputes to validate a block: the
//! transactions root and the receipts root (ordered tries keyed by RLP(index)).

use alloy_consensus::proofs;

use crate::fixtures::{self, BlockExpected, ReceiptsExpected};
use crate::rlp::load_block;
use crate::workload::{case, expect_eq, Throughput};
use crate::{Error, Fixtures, Workload};

pub(super) fn workloads(fx: &Fixtures) -> Result<Vec<Box<dyn Workload>>, Error> {
    let block_expected: BlockExpected = fx.expected(fixtures::BLOCK)?;
    let receipts_expected: ReceiptsExpected = fx.expected(fixtures::RECEIPTS)?;
    let fixture = load_block(fx)?;
    let block = &fixture.value;
    let receipts = crate::rlp::load_receipts(fx)?.value.clone();
    let n = block.body.transactions.len();
    Ok(vec![
        case(
            format!("trie/transactions_root/block_{n}tx"),
            format!("transactions root of the {n}-transaction block"),
            Throughput::Elements(n as u64),
            block.body.transactions.clone(),
            |txs| proofs::calculate_transaction_root(txs),
            move |_, root| expect_eq("transactions root", root, block_expected.transactions_root),
        ),
        case(
            format!("trie/receipts_root/block_{n}tx"),
            format!("receipts root of the block's {n} receipts"),
            Throughput::Elements(receipts.len() as u64),
            receipts,
            |receipts| proofs::calculate_receipt_root(receipts),
            move |_, root| expect_eq("receipts root", root, receipts_expected.receipts_root),
        ),
    ])
}
