//! A whole block's senders: signing hash and recovery for each transaction,
//! one after another or on rayon's pool.

use alloy_primitives::Address;

use super::{recover_block, Backend};
use crate::fixtures::EthBlock;
use crate::workload::{case, Throughput};
use crate::Workload;

pub(super) fn workloads(block: &EthBlock, senders: &[Address]) -> Vec<Box<dyn Workload>> {
    let n = block.body.transactions.len();
    let mut all = Vec::new();
    for backend in Backend::ALL {
        for (mode, parallel) in [("sequential", false), ("rayon", true)] {
            let senders = senders.to_vec();
            all.push(case(
                format!("recovery/block_{n}tx/{}_{mode}", backend.name()),
                format!("senders of all {n} transactions with {}, {mode}", backend.name()),
                Throughput::Elements(n as u64),
                block.body.transactions.clone(),
                move |txs| recover_block(backend, txs, parallel),
                move |_, recovered| {
                    let recovered = recovered.map_err(|e| format!("a transaction was rejected: {e:?}"))?;
                    match recovered.iter().zip(&senders).position(|(got, want)| got != want) {
                        Some(i) => {
                            Err(format!("transaction {i}: recovered {}, signed by {}", recovered[i], senders[i]))
                        }
                        None if recovered.len() != senders.len() => Err("wrong number of senders".into()),
                        None => Ok(()),
                    }
                },
            ));
        }
    }
    all
}
