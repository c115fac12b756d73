//! Nested lists: an EIP-2930 access list, a list of (address, list of keys).

use super::{access_list, decode_set, encode_set, Values};
use crate::measure::error::Error;
use crate::measure::workload::Workload;

pub(super) fn workloads(v: &Values) -> Result<Vec<Box<dyn Workload>>, Error> {
    let list = access_list(&v.values);
    let id = format!("access_list_{}addr", list.0.len());
    let set = v.set("access_list")?;
    Ok(vec![
        encode_set(
            &format!("rlp/encode/{id}"),
            "encode a nested list: an access list of addresses and storage keys",
            vec![list.clone()],
            set.clone(),
        ),
        decode_set(
            &format!("rlp/decode/{id}"),
            "decode a nested list: an access list of addresses and storage keys",
            vec![list],
            set,
        )?,
    ])
}
