//! A whole block's senders: signing hash and recovery for each transaction,
//! one after another or on rayon's pool; the synthetic block and real
//! mainnet blocks.

use alloy_primitives::Address;

use super::{recover_block, Backend};
use crate::data::mainnet;
use crate::data::Fixtures;
use crate::data::{BlockTx, EthBlock};
use crate::measure::error::Error;
use crate::measure::workload::Workload;
use crate::measure::workload::{case, Throughput};

const MODES: [(&str, bool); 2] = [("sequential", false), ("rayon", true)];

pub(super) fn workloads(block: &EthBlock, senders: &[Address]) -> Vec<Box<dyn Workload>> {
    let n = block.body.transactions.len();
    let mut all = Vec::new();
    for backend in Backend::ALL {
        for (mode, parallel) in MODES {
            all.push(recovery_case(
                format!("recovery/block_{n}tx/{}_{mode}", backend.name()),
                format!("senders of all {n} transactions with {}, {mode}", backend.name()),
                backend,
                parallel,
                block.body.transactions.clone(),
                senders.to_vec(),
            ));
        }
    }
    all
}

/// The same four ways over each mainnet block. Its senders are published
/// nowhere, so each backend is checked against the other, an independent
/// implementation, whose senders must also have consecutive nonces.
pub(super) fn mainnet_workloads(fx: &Fixtures) -> Vec<Box<dyn Workload>> {
    let mut all = Vec::new();
    for backend in Backend::ALL {
        for (mode, parallel) in MODES {
            let id = move |n| format!("recovery/mainnet_{n}/{}_{mode}", backend.name());
            let about = format!("senders of all transactions with {}, {mode},", backend.name());
            all.extend(mainnet::each(fx, id, &about, move |m, id, about| {
                let other = Backend::ALL.into_iter().find(|&b| b != backend).expect("two backends");
                let block = &m.block.value;
                let senders = recover_block(other, &block.body.transactions, false)
                    .map_err(|e| Error::verify(id, format!("{} rejected a transaction: {e:?}", other.name())))?;
                mainnet::check_nonce_sequences(block, &senders).map_err(|e| Error::verify(id, e))?;
                Ok(recovery_case(id, about, backend, parallel, block.body.transactions.clone(), senders))
            }));
        }
    }
    all
}

/// Recover every sender of `txs`; the result must be `senders`, in order.
fn recovery_case(
    id: impl Into<String>,
    about: impl Into<String>,
    backend: Backend,
    parallel: bool,
    txs: Vec<BlockTx>,
    senders: Vec<Address>,
) -> Box<dyn Workload> {
    case(
        id,
        about,
        Throughput::Elements(txs.len() as u64),
        txs,
        move |txs| recover_block(backend, txs, parallel),
        move |_, recovered| {
            let recovered = recovered.map_err(|e| format!("a transaction was rejected: {e:?}"))?;
            match recovered.iter().zip(&senders).position(|(got, want)| got != want) {
                Some(i) => Err(format!("transaction {i}: recovered {}, expected {}", recovered[i], senders[i])),
                None if recovered.len() != senders.len() => Err("wrong number of senders".into()),
                None => Ok(()),
            }
        },
    )
}
