//! Rejecting malformed input. A client decodes whatever peers send it, so
//! the path that says "no" is as hot as the one that says "yes", and a
//! decoder that accepts non-canonical input breaks consensus. Each case
//! must fail with one specific error.

use alloy_consensus::Header;
use alloy_rlp::Decodable;

use crate::data::load_block;
use crate::data::Fixtures;
use crate::data::{self, EthBlock};
use crate::measure::error::Error;
use crate::measure::workload::Workload;
use crate::measure::workload::{case, expect_eq, Throughput};

/// One malformed input and the error alloy-rlp must reject it with. The
/// throughput is one input refused: most are refused after a few bytes, so
/// bytes/s of the whole input would count bytes the decoder never reads.
fn reject<T: Decodable + 'static>(
    name: &str,
    about: &str,
    bytes: Vec<u8>,
    want: alloy_rlp::Error,
) -> Box<dyn Workload> {
    case(
        format!("rlp/reject/{name}"),
        format!("reject {about}"),
        Throughput::Elements(1),
        bytes,
        |bytes| T::decode(&mut bytes.as_slice()).err(),
        move |_, error| expect_eq("decoding error", error, Some(want)),
    )
}

pub(super) fn workloads(fx: &Fixtures) -> Result<Vec<Box<dyn Workload>>, Error> {
    let fixture = load_block(fx)?;
    let (block_bytes, block) = (&fixture.bytes, &fixture.value);
    let header = alloy_rlp::encode(&block.header);

    // The block minus its last byte: the outer list header already claims
    // more bytes than there are, so this is refused before any field is read.
    let truncated = block_bytes[..block_bytes.len() - 1].to_vec();

    // The last typed transaction's type byte set to one no fork defines: the
    // decoder walks every transaction before it, which is what a block with
    // one bad transaction at its end costs.
    let last_typed = block
        .body
        .transactions
        .iter()
        .rev()
        .find(|tx| !tx.is_legacy())
        .ok_or_else(|| Error::fixture(data::BLOCK, "has no typed transaction"))?;
    let encoded = alloy_eips::eip2718::Encodable2718::encoded_2718(last_typed);
    let at = block_bytes
        .windows(encoded.len())
        .rposition(|w| w == encoded.as_slice())
        .ok_or_else(|| Error::fixture(data::BLOCK, "a transaction's encoding is not in the block"))?;
    let mut bad_last_tx = block_bytes.clone();
    bad_last_tx[at] = 0x7e;

    // The header's list header claims one byte less than its fields take.
    let mut short_list = header.clone();
    if short_list[0] != 0xf9 {
        return Err(Error::fixture(data::BLOCK, "its header is not a list with a two-byte length"));
    }
    let payload = u16::from_be_bytes([short_list[1], short_list[2]]);
    short_list[1..3].copy_from_slice(&(payload - 1).to_be_bytes());

    Ok(vec![
        reject::<EthBlock>(
            "truncated_block",
            "a block missing its last byte",
            truncated,
            alloy_rlp::Error::InputTooShort,
        ),
        reject::<EthBlock>(
            "bad_last_tx",
            "a block whose last typed transaction has an unknown type byte",
            bad_last_tx,
            alloy_rlp::Error::Custom("unexpected tx type"),
        ),
        reject::<Header>(
            "short_list_header",
            "a header whose list length is one byte short",
            short_list,
            alloy_rlp::Error::ListLengthMismatch { expected: payload as usize - 1, got: payload as usize },
        ),
        reject::<u64>(
            "leading_zero_u64",
            "the integer 1 encoded as 0x82 0x00 0x01",
            vec![0x82, 0x00, 0x01],
            alloy_rlp::Error::LeadingZero,
        ),
        reject::<u64>(
            "noncanonical_single_byte",
            "the byte 0x05 wrapped in a string header (0x81 0x05)",
            vec![0x81, 0x05],
            alloy_rlp::Error::NonCanonicalSingleByte,
        ),
        reject::<u64>(
            "overflow_u64",
            "a 9-byte integer decoded as u64",
            [0x89].into_iter().chain([0xff; 9]).collect(),
            alloy_rlp::Error::Overflow,
        ),
        reject::<alloy_primitives::Bytes>(
            "noncanonical_size",
            "a 3-byte string with a long-form length header",
            vec![0xb8, 0x03, 1, 2, 3],
            alloy_rlp::Error::NonCanonicalSize,
        ),
    ])
}
