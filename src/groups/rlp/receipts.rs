//! A block's receipts with their logs and blooms, as the RLP list a client
//! sends in an eth/68 `Receipts` message.

use alloy_consensus::{proofs, ReceiptEnvelope};
use alloy_rlp::{Decodable, Encodable};

use super::{decode_value, encode_value};
use crate::data::load_receipts;
use crate::data::Fixtures;
use crate::data::{self, ReceiptsExpected};
use crate::measure::error::Error;
use crate::measure::workload::expect_eq;
use crate::measure::workload::Workload;

type Receipts = Vec<ReceiptEnvelope>;

pub(super) fn workloads(fx: &Fixtures) -> Result<Vec<Box<dyn Workload>>, Error> {
    let expected: ReceiptsExpected = fx.expected(data::RECEIPTS)?;
    let fixture = load_receipts(fx)?;
    let (bytes, receipts) = (fixture.bytes.clone(), fixture.value.clone());
    let n = expected.receipts;
    let size = format!("receipts_{n}tx");
    let about = format!("{n} receipts with {} logs, {} KiB", expected.logs, bytes.len() / 1024);
    Ok(vec![
        encode_value(
            &format!("rlp/encode/{size}"),
            &format!("encode {about}"),
            n as u64,
            receipts,
            bytes.clone(),
            |r, buf| r.encode(buf),
        ),
        decode_value(
            &format!("rlp/decode/{size}"),
            &format!("decode {about}"),
            n as u64,
            bytes,
            Receipts::decode,
            move |r| {
                expect_eq("receipt count", r.len(), expected.receipts)?;
                expect_eq("log count", r.iter().map(|r| r.logs().len()).sum::<usize>(), expected.logs)?;
                let gas = r.last().map_or(0, |r| r.cumulative_gas_used());
                expect_eq("cumulative gas of the last receipt", gas, expected.cumulative_gas_used)?;
                expect_eq("receipts root", proofs::calculate_receipt_root(r), expected.receipts_root)
            },
        ),
    ])
}
