//! The per-block roots a client recomputes to validate a block: the
//! transactions root and the receipts root (ordered tries keyed by RLP(index)).

use alloy_consensus::{proofs, ReceiptEnvelope};
use alloy_primitives::B256;

use crate::data::load_block;
use crate::data::{self, BlockExpected, BlockTx, ReceiptsExpected};
use crate::data::{mainnet, Fixtures};
use crate::measure::error::Error;
use crate::measure::workload::Workload;
use crate::measure::workload::{case, expect_eq, Throughput};

pub(super) fn workloads(fx: &Fixtures) -> Result<Vec<Box<dyn Workload>>, Error> {
    let block_expected: BlockExpected = fx.expected(data::BLOCK)?;
    let receipts_expected: ReceiptsExpected = fx.expected(data::RECEIPTS)?;
    let fixture = load_block(fx)?;
    let block = &fixture.value;
    let receipts = crate::data::load_receipts(fx)?.value.clone();
    let n = block.body.transactions.len();
    let mut all = mainnet::each(
        fx,
        |n| format!("trie/transactions_root/mainnet_{n}"),
        "transactions root",
        |m, id, about| {
            let (txs, want) = (m.block.value.body.transactions.clone(), m.expected.transactions_root);
            Ok(transactions_root(id, about, txs, want))
        },
    );
    all.extend(mainnet::each(
        fx,
        |n| format!("trie/receipts_root/mainnet_{n}"),
        "receipts root",
        |m, id, about| Ok(receipts_root(id, about, m.receipts.value.clone(), m.expected.receipts_root)),
    ));
    all.extend([
        transactions_root(
            &format!("trie/transactions_root/block_{n}tx"),
            &format!("transactions root of the {n}-transaction block"),
            block.body.transactions.clone(),
            block_expected.transactions_root,
        ),
        receipts_root(
            &format!("trie/receipts_root/block_{n}tx"),
            &format!("receipts root of the block's {n} receipts"),
            receipts,
            receipts_expected.receipts_root,
        ),
    ]);
    Ok(all)
}

fn transactions_root(id: &str, about: &str, txs: Vec<BlockTx>, want: B256) -> Box<dyn Workload> {
    root_case(id, about, "transactions root", txs, proofs::calculate_transaction_root, want)
}

fn receipts_root(id: &str, about: &str, receipts: Vec<ReceiptEnvelope>, want: B256) -> Box<dyn Workload> {
    root_case(id, about, "receipts root", receipts, proofs::calculate_receipt_root, want)
}

/// The ordered-trie root of `items`, which must be `want`.
fn root_case<T: 'static>(
    id: &str,
    about: &str,
    what: &'static str,
    items: Vec<T>,
    root: fn(&[T]) -> B256,
    want: B256,
) -> Box<dyn Workload> {
    case(
        id,
        about,
        Throughput::Elements(items.len() as u64),
        items,
        move |items| root(items),
        move |_, got| expect_eq(what, got, want),
    )
}
