//! One recovery from a prehash: the cost of the curve arithmetic alone, by
//! each backend and through revm's ecrecover precompile (0x01), so the
//! figures show what the EVM's path adds.

use alloy_primitives::{Address, Signature, B256, U256};
use revm::precompile::Precompiles;

use super::{recover, signature_and_hash, Backend};
use crate::data::Fixtures;
use crate::data::{self, BlockExpected, EthBlock};
use crate::measure::error::Error;
use crate::measure::workload::Workload;
use crate::measure::workload::{case, expect_eq, Throughput};

pub(super) fn workloads(fx: &Fixtures, block: &EthBlock, senders: &[Address]) -> Result<Vec<Box<dyn Workload>>, Error> {
    let expected: BlockExpected = fx.expected(data::BLOCK)?;
    let pick = expected.pick("eip1559")?;
    let (signature, hash) = signature_and_hash(&block.body.transactions[pick.index]);
    let signer = senders[pick.index];
    let mut all: Vec<Box<dyn Workload>> = Backend::ALL
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
        .collect();
    all.push(precompile(signature, hash, signer));
    Ok(all)
}

/// The ecrecover precompile's price: a flat 3,000 gas (Yellow Paper, appendix E).
const ECRECOVER_GAS: u64 = 3_000;

/// ecrecover through revm's precompile interface, as a contract's CALL to
/// 0x01 reaches it: the 128-byte input `hash ‖ v ‖ r ‖ s` (v = 27 or 28),
/// the signer left-padded to 32 bytes out.
fn precompile(signature: Signature, hash: B256, signer: Address) -> Box<dyn Workload> {
    let ecrecover =
        Precompiles::osaka().get(&revm::precompile::u64_to_address(1)).expect("Osaka has ecrecover").clone();
    let mut input = Vec::with_capacity(128);
    input.extend_from_slice(hash.as_slice());
    input.extend_from_slice(&U256::from(27 + u8::from(signature.v())).to_be_bytes::<32>());
    input.extend_from_slice(&signature.r().to_be_bytes::<32>());
    input.extend_from_slice(&signature.s().to_be_bytes::<32>());
    let mut want = [0u8; 32];
    want[12..].copy_from_slice(signer.as_slice());
    case(
        "recovery/single/revm_precompile",
        "recover one signer through revm's ecrecover precompile (0x01): input parsing, libsecp256k1, padding",
        Throughput::Elements(1),
        input,
        move |input| ecrecover.execute(input, ECRECOVER_GAS, 0),
        move |_, result| {
            let output = result.map_err(|e| format!("the precompile failed: {e:?}"))?;
            expect_eq("gas used", output.gas_used, ECRECOVER_GAS)?;
            expect_eq("output (the signer, left-padded)", output.bytes.as_ref(), want.as_slice())
        },
    )
}
