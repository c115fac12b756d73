//! Byte strings on both sides of the 55-byte boundary, where RLP switches
//! from a one-byte header to a length-of-length header.

use alloy_primitives::Bytes;

use super::{decode_set, encode_set, Values};
use crate::measure::error::Error;
use crate::measure::workload::Workload;

pub(super) fn workloads(v: &Values) -> Result<Vec<Box<dyn Workload>>, Error> {
    let mut all = Vec::new();
    for &len in &crate::data::STRING_LENGTHS {
        let items: Vec<Bytes> = v.values.strings.get(&len.to_string()).cloned().unwrap_or_default();
        let set = v.set(&format!("bytes{len}"))?;
        let size = if len >= 1024 { format!("{}k", len / 1024) } else { len.to_string() };
        let n = items.len();
        let about = match len {
            1 => "one-byte strings (half encode as themselves, half get a 0x81 header)".to_owned(),
            55 => "55-byte strings, the longest with a one-byte header".to_owned(),
            56 => "56-byte strings, the shortest with a length-of-length header".to_owned(),
            _ => format!("{len}-byte strings"),
        };
        all.push(encode_set(
            &format!("rlp/encode/bytes{size}_x{n}"),
            &format!("encode {about}"),
            items.clone(),
            set.clone(),
        ));
        all.push(decode_set(
            &format!("rlp/decode/bytes{size}_x{n}"),
            &format!("decode {about} into owned Bytes"),
            items,
            set,
        )?);
    }
    Ok(all)
}
