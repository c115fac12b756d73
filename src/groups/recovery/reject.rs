//! Signatures a client must refuse. Each is asserted to fail for its reason.

use alloy_consensus::transaction::RlpEcdsaDecodableTx;
use alloy_consensus::TxLegacy;
use alloy_primitives::{Bytes, Signature, TxKind, U256};
use alloy_rlp::RlpEncodable;

use super::{ecrecover, recover, signature_and_hash, Backend, Rejected};
use crate::data::Fixtures;
use crate::data::{self, BlockExpected, BlockTx, EthBlock};
use crate::measure::error::Error;
use crate::measure::workload::Workload;
use crate::measure::workload::{case, expect_eq, Throughput};

/// secp256k1's group order n.
const N: U256 = U256::from_be_slice(&[
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe, 0xba, 0xae, 0xdc,
    0xe6, 0xaf, 0x48, 0xa0, 0x3b, 0xbf, 0xd2, 0x5e, 0x8c, 0xd0, 0x36, 0x41, 0x41,
]);

/// A legacy transaction with its raw `v`, to write values alloy would not.
#[derive(RlpEncodable)]
struct RawLegacy {
    nonce: u64,
    gas_price: u128,
    gas_limit: u64,
    to: TxKind,
    value: U256,
    input: Bytes,
    v: u64,
    r: U256,
    s: U256,
}

pub(super) fn workloads(fx: &Fixtures, block: &EthBlock) -> Result<Vec<Box<dyn Workload>>, Error> {
    let expected: BlockExpected = fx.expected(data::BLOCK)?;
    let (signature, hash) = signature_and_hash(&block.body.transactions[expected.pick("eip1559")?.index]);
    let signer = ecrecover(Backend::Secp256k1, &signature, &hash);

    // (r, n - s) with the parity flipped is the same point: ecrecover accepts
    // it and returns the same signer, EIP-2 forbids it.
    let high_s = Signature::new(signature.r(), N - signature.s(), !signature.v());
    let zero_r = Signature::new(U256::ZERO, signature.s(), signature.v());

    let legacy = match &block.body.transactions[expected.pick("legacy")?.index] {
        BlockTx::Legacy(t) => t.clone(),
        _ => return Err(Error::fixture(data::BLOCK, "the manifest's legacy pick is not a legacy transaction")),
    };
    let tx = legacy.tx();
    let bad_v = alloy_rlp::encode(RawLegacy {
        nonce: tx.nonce,
        gas_price: tx.gas_price,
        gas_limit: tx.gas_limit,
        to: tx.to,
        value: tx.value,
        input: tx.input.clone(),
        v: 29, // neither 27/28 nor EIP-155's 35 + 2 * chain_id + parity
        r: legacy.signature().r(),
        s: legacy.signature().s(),
    });

    Ok(vec![
        case(
            "recovery/reject/high_s",
            "refuse a malleated signature with s > n/2 (EIP-2) that ecrecover alone accepts",
            Throughput::Elements(1),
            (high_s, hash),
            |(sig, hash)| recover(Backend::Secp256k1, sig, hash),
            move |(sig, hash), result| {
                expect_eq(
                    "plain ecrecover of the malleated signature",
                    ecrecover(Backend::Secp256k1, sig, hash),
                    signer,
                )?;
                expect_eq("recovery", result, Err(Rejected::HighS))
            },
        ),
        case(
            "recovery/reject/zero_r",
            "refuse a signature whose r is zero",
            Throughput::Elements(1),
            (zero_r, hash),
            |(sig, hash)| recover(Backend::Secp256k1, sig, hash),
            |_, result| expect_eq("recovery", result, Err(Rejected::ZeroScalar)),
        ),
        case(
            "recovery/reject/legacy_v29",
            "refuse to decode a legacy transaction whose v is 29",
            Throughput::Bytes(bad_v.len() as u64),
            bad_v,
            |bytes| TxLegacy::rlp_decode_signed(&mut bytes.as_slice()).err(),
            |_, error| expect_eq("decoding error", error, Some(alloy_rlp::Error::Custom("invalid parity value"))),
        ),
    ])
}
