//! Integers: u64 (nonces, gas, timestamps) and U256 (balances, values), of
//! every width from zero to full, so all RLP size classes are exercised.

use super::{decode_set, encode_set, Values};
use crate::measure::error::Error;
use crate::measure::workload::Workload;

pub(super) fn workloads(v: &Values) -> Result<Vec<Box<dyn Workload>>, Error> {
    let n = v.values.u64.len();
    let m = v.values.u256.len();
    Ok(vec![
        encode_set(
            &format!("rlp/encode/u64_x{n}"),
            "encode u64s of uniformly random bit length",
            v.values.u64.clone(),
            v.set("u64")?,
        ),
        decode_set(
            &format!("rlp/decode/u64_x{n}"),
            "decode u64s of uniformly random bit length",
            v.values.u64.clone(),
            v.set("u64")?,
        )?,
        encode_set(
            &format!("rlp/encode/u256_x{m}"),
            "encode U256s of uniformly random bit length",
            v.values.u256.clone(),
            v.set("u256")?,
        ),
        decode_set(
            &format!("rlp/decode/u256_x{m}"),
            "decode U256s of uniformly random bit length",
            v.values.u256.clone(),
            v.set("u256")?,
        )?,
    ])
}
