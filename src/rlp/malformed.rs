//! Rejecting malformed input. A client decodes whatever peers send it, so
//! the path that says "no" is as hot as the one that says "yes", and a
//! decoder that accepts non-canonical input breaks consensus. Each case
//! must fail with one specific error.

use alloy_consensus::Header;
use alloy_rlp::Decodable;

use super::load_block;
use crate::fixtures::EthBlock;
use crate::workload::{case, expect_eq, Throughput};
use crate::{Error, Fixtures, Workload};

/// One malformed input and the error alloy-rlp must reject it with.
fn reject<T: Decodable + 'static>(
    name: &str,
    about: &str,
    bytes: Vec<u8>,
    want: alloy_rlp::Error,
) -> Box<dyn Workload> {
    case(
        format!("rlp/reject/{name}"),
        format!("reject {about}"),
        Throughput::Bytes(bytes.len() as u64),
        bytes,
        |bytes| T::decode(&mut bytes.as_slice()).err(),
        move |_, error| expect_eq("decoding error", error, Some(want)),
    )
}

pub(super) fn workloads(fx: &Fixtures) -> Result<Vec<Box<dyn Workload>>, Error> {
    let (block_bytes, block) = load_block(fx)?;
    let header = alloy_rlp::encode(&block.header);

    // The block minus its last byte: the decoder walks all 200 transactions
    // before it finds the list short, which is what a truncated message costs.
    let truncated = block_bytes[..block_bytes.len() - 1].to_vec();

    // The header's list header claims one byte less than its fields take.
    let mut short_list = header.clone();
    let payload = u16::from_be_bytes([short_list[1], short_list[2]]);
    assert_eq!(short_list[0], 0xf9, "a header's payload needs a two-byte length");
    short_list[1..3].copy_from_slice(&(payload - 1).to_be_bytes());

    Ok(vec![
        reject::<EthBlock>(
            "truncated_block",
            "a block missing its last byte",
            truncated,
            alloy_rlp::Error::InputTooShort,
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
