//! A post-Prague block header (21 fields), and its hash, which a client
//! computes for every header it receives.

use alloy_consensus::Header;
use alloy_primitives::keccak256;
use alloy_rlp::{Decodable, Encodable};

use super::{decode_value, encode_value};
use crate::data::load_block;
use crate::data::{self, BlockExpected};
use crate::data::{mainnet, Fixtures};
use crate::measure::error::Error;
use crate::measure::workload::Workload;
use crate::measure::workload::{case, expect_eq, Throughput};

pub(super) fn workloads(fx: &Fixtures) -> Result<Vec<Box<dyn Workload>>, Error> {
    let expected: BlockExpected = fx.expected(data::BLOCK)?;
    let fixture = load_block(fx)?;
    let block = &fixture.value;
    let header = block.header.clone();
    let bytes = alloy_rlp::encode(&header);
    if keccak256(&bytes) != expected.header_hash {
        return Err(Error::fixture(data::BLOCK, "header does not hash to the manifest's header_hash"));
    }
    let want = expected.header_hash;
    let mut all = mainnet::each(
        fx,
        |n| format!("rlp/hash/mainnet_{n}"),
        "hash the header",
        |m, id, about| {
            let header = m.block.value.header.clone();
            let want = m.expected.hash;
            let bytes = alloy_rlp::encode(&header).len() as u64;
            Ok(case(
                id,
                about,
                Throughput::ElementsAndBytes { elements: 1, bytes },
                header,
                |h| h.hash_slow(),
                move |_, hash| expect_eq("header hash", hash, want),
            ))
        },
    );
    all.extend(vec![
        encode_value("rlp/encode/header", "encode a block header", 1, header.clone(), bytes.clone(), |h, buf| {
            h.encode(buf)
        }),
        decode_value("rlp/decode/header", "decode a block header", 1, bytes.clone(), Header::decode, move |h| {
            expect_eq("hash of the decoded header", h.hash_slow(), want)
        }),
        case(
            "rlp/hash/header",
            "encode a block header and keccak256 it: the block hash",
            Throughput::ElementsAndBytes { elements: 1, bytes: bytes.len() as u64 },
            header,
            |h| h.hash_slow(),
            move |_, hash| expect_eq("header hash", hash, want),
        ),
    ]);
    Ok(all)
}
