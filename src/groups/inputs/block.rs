//! `input/block/<file>/*`: the user's block (RLP, hex or binary) through
//! decoding, sender recovery with both backends, sequential and on rayon,
//! and the transactions root (and the receipts root, given the receipts).
//! The computed values are printed, so they can be checked against a block
//! explorer; a root that disagrees with the header is refused.

use std::path::{Path, PathBuf};

use alloy_consensus::{proofs, ReceiptEnvelope};
use alloy_eips::eip2718::Encodable2718;
use alloy_primitives::Address;
use alloy_rlp::Decodable;

use super::{input_error, user_bytes, UserBytes};
use crate::data::EthBlock;
use crate::groups::recovery::{recover_block, Backend};
use crate::measure::error::Error;
use crate::measure::workload::Workload;
use crate::measure::workload::{case, expect_eq, Throughput};

/// What `--input` and `--receipts` say.
#[derive(Debug, Clone)]
pub struct BlockInput {
    pub input: PathBuf,
    pub receipts: Option<PathBuf>,
}

/// One RLP item filling the whole file, or a one-line error.
fn decode_all<T: Decodable>(path: &Path, bytes: &[u8], what: &str) -> Result<T, Error> {
    let mut rest = bytes;
    let value = T::decode(&mut rest).map_err(|e| input_error(path, format!("is not a {what} in RLP: {e}")))?;
    if !rest.is_empty() {
        return Err(input_error(path, format!("has {} bytes after the {what}; give exactly one", rest.len())));
    }
    Ok(value)
}

/// The workloads on the user's block, and the values they computed.
pub fn workloads(input: &BlockInput) -> Result<(Vec<Box<dyn Workload>>, String), Error> {
    let UserBytes { bytes, name, label } = user_bytes(&input.input, "--input")?;
    let block: EthBlock = decode_all(&label, &bytes, "block")?;
    let header = block.header.clone();
    let hash = header.hash_slow();
    let txs = block.body.transactions.clone();
    let n = txs.len();
    let base = format!("input/block/{name}");
    let mut report = vec![format!("block {} {hash}: {n} transactions, {} bytes", header.number, bytes.len())];

    let root = proofs::calculate_transaction_root(&txs);
    if root != header.transactions_root {
        return Err(input_error(
            &label,
            format!(
                "its transactions root is {root}, the header says {}; the block is inconsistent",
                header.transactions_root
            ),
        ));
    }
    report.push(format!("transactions root {root} (computed; matches the header)"));

    let senders = recover_block(Backend::Secp256k1, &txs, false)
        .map_err(|e| input_error(&label, format!("a transaction's signature is refused: {e:?}")))?;
    let k256 = recover_block(Backend::K256, &txs, false)
        .map_err(|e| input_error(&label, format!("k256 refuses a signature secp256k1 accepts: {e:?}")))?;
    if let Some(i) = (0..n).find(|&i| senders[i] != k256[i]) {
        return Err(input_error(&label, format!("k256 and secp256k1 recover different senders for transaction {i}")));
    }
    let mut distinct = senders.clone();
    distinct.sort();
    distinct.dedup();
    report.push(format!("senders: {n} recovered ({} distinct), the same with k256 and secp256k1", distinct.len()));
    for i in [0, n / 2, n.saturating_sub(1)].into_iter().filter(|&i| i < n) {
        report.push(format!("  transaction {i} {} from {}", txs[i].trie_hash(), senders[i]));
    }

    let mut all = vec![case(
        format!("{base}/decode"),
        format!("decode the {n}-transaction block in {}", label.display()),
        Throughput::ElementsAndBytes { elements: n as u64, bytes: bytes.len() as u64 },
        bytes,
        |bytes| EthBlock::decode(&mut bytes.as_slice()),
        move |_, decoded| {
            let decoded = decoded.map_err(|e| e.to_string())?;
            expect_eq("header hash", decoded.header.hash_slow(), hash)
        },
    )];
    for backend in Backend::ALL {
        for (mode, parallel) in [("sequential", false), ("rayon", true)] {
            let want: Vec<Address> = senders.clone();
            all.push(case(
                format!("{base}/recover_{}_{mode}", backend.name()),
                format!("senders of the block's {n} transactions with {}, {mode}", backend.name()),
                Throughput::Elements(n as u64),
                txs.clone(),
                move |txs| recover_block(backend, txs, parallel),
                move |_, got| expect_eq("senders", got.map_err(|e| format!("{e:?}"))?, want.clone()),
            ));
        }
    }
    all.push(case(
        format!("{base}/transactions_root"),
        format!("transactions root of the block's {n} transactions"),
        Throughput::Elements(n as u64),
        txs,
        |txs| proofs::calculate_transaction_root(txs),
        move |_, got| expect_eq("transactions root", got, root),
    ));

    match &input.receipts {
        Some(path) => {
            let given = user_bytes(path, "--receipts")?;
            let receipts: Vec<ReceiptEnvelope> = decode_all(&given.label, &given.bytes, "list of receipts")?;
            let root = proofs::calculate_receipt_root(&receipts);
            if root != header.receipts_root {
                return Err(input_error(
                    &given.label,
                    format!(
                        "their receipts root is {root}, the block's header says {}; are they this block's receipts?",
                        header.receipts_root
                    ),
                ));
            }
            report.push(format!("receipts root {root} (computed from {}; matches the header)", given.label.display()));
            all.push(case(
                format!("{base}/receipts_root"),
                format!("receipts root of the block's {} receipts", receipts.len()),
                Throughput::Elements(receipts.len() as u64),
                receipts,
                |r| proofs::calculate_receipt_root(r),
                move |_, got| expect_eq("receipts root", got, root),
            ));
        }
        None => report.push(format!(
            "receipts root {} (from the header; pass --receipts FILE to compute and time it)",
            header.receipts_root
        )),
    }
    Ok((all, report.join("\n")))
}
