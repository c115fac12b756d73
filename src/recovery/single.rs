//! One recovery from a prehash: the cost of the curve arithmetic alone.

use alloy_primitives::Address;

use super::{recover, signature_and_hash, Backend};
use crate::fixtures::{self, BlockExpected, EthBlock};
use crate::workload::{case, expect_eq, Throughput};
use crate::{Error, Fixtures, Workload};

pub(super) fn workloads(fx: &Fixtures, block: &EthBlock, senders: &[Address]) -> Result<Vec<Box<dyn Workload>>, Error> {
    let expected: BlockExpected = fx.expected(fixtures::BLOCK)?;
    let pick = expected.pick("eip1559")?;
    let (signature, hash) = signature_and_hash(&block.body.transactions[pick.index]);
    let signer = senders[pick.index];
    Ok(Backend::ALL
        .into_iter()
        .map(|backend| {
            case(
                format!("recovery/single/{}", backend.name()),
                format!("recover one signer from a signature and prehash with {}", backend.name()),
                Throughput::Elements(1),
                (signature, hash),
                move |(signature, hash)| recover(backend, signature, hash),
                move |_, sender| expect_eq("recovered sender", sender, Ok(signer)),
            )
        })
        .collect())
}
