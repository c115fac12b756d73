//! A whole block: what a client decodes for every block it imports over
//! devp2p or the engine API, and encodes for every block it stores or serves.

use alloy_primitives::keccak256;
use alloy_rlp::{Decodable, Encodable};

use super::{decode_value, encode_value};
use crate::data::load_block;
use crate::data::{self, BlockExpected, EthBlock};
use crate::data::{mainnet, Fixtures};
use crate::measure::error::Error;
use crate::measure::workload::expect_eq;
use crate::measure::workload::Workload;

pub(super) fn workloads(fx: &Fixtures) -> Result<Vec<Box<dyn Workload>>, Error> {
    let mut all = synthetic(fx)?;
    all.extend(mainnet::each(
        fx,
        |n| format!("rlp/decode/mainnet_{n}"),
        "decode the block",
        |m, id, about| {
            let (n, expected) = (m.expected.tx_count, m.expected.clone());
            let check = move |b: &EthBlock| mainnet::check_block(b, &expected);
            Ok(decode_value(id, about, n as u64, m.block.bytes.clone(), EthBlock::decode, check))
        },
    ));
    all.extend(mainnet::each(
        fx,
        |n| format!("rlp/encode/mainnet_{n}"),
        "encode the block",
        |m, id, about| {
            let (n, block) = (m.expected.tx_count as u64, m.block.value.clone());
            Ok(encode_value(id, about, n, block, m.block.bytes.clone(), |b, buf| b.encode(buf)))
        },
    ));
    Ok(all)
}

/// The synthetic 200-transaction block.
fn synthetic(fx: &Fixtures) -> Result<Vec<Box<dyn Workload>>, Error> {
    let expected: BlockExpected = fx.expected(data::BLOCK)?;
    let fixture = load_block(fx)?;
    let (bytes, block) = (&fixture.bytes, &fixture.value);
    let n = expected.transactions;
    let size = format!("block_{n}tx");
    let about =
        format!("a {} KiB block of {n} transactions and {} withdrawals", bytes.len() / 1024, expected.withdrawals);
    Ok(vec![
        encode_value(
            &format!("rlp/encode/{size}"),
            &format!("encode {about}"),
            n as u64,
            block.clone(),
            bytes.clone(),
            |b, buf| b.encode(buf),
        ),
        decode_value(
            &format!("rlp/decode/{size}"),
            &format!("decode {about}"),
            n as u64,
            bytes.clone(),
            EthBlock::decode,
            move |b| check_block(b, &expected),
        ),
    ])
}

/// A decoded block matches the fixture: header hash, every transaction hash,
/// and the withdrawals.
pub(crate) fn check_block(block: &EthBlock, expected: &BlockExpected) -> Result<(), String> {
    use alloy_eips::eip2718::Encodable2718;
    expect_eq("header hash", block.header.hash_slow(), expected.header_hash)?;
    expect_eq("transaction count", block.body.transactions.len(), expected.transactions)?;
    let hashes: Vec<u8> = block.body.transactions.iter().flat_map(|tx| tx.trie_hash().0).collect();
    expect_eq("keccak256 of the transaction hashes", keccak256(&hashes), expected.tx_hashes_keccak)?;
    let withdrawals = block.body.withdrawals.as_ref().map_or(0, |w| w.len());
    expect_eq("withdrawal count", withdrawals, expected.withdrawals)
}
