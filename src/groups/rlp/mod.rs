//! RLP encoding and decoding on alloy-rlp and the alloy-consensus types a
//! client puts on the wire and on disk.
//!
//! Encoders write into a buffer reused across runs, so the figure is the
//! encoder's, not the allocator's; decoders build the owned value a client
//! would keep, and dropping it is part of the cost.

mod block;
mod header;
mod lists;
mod malformed;
mod receipts;
mod scalars;
mod strings;
mod transactions;

use std::collections::BTreeMap;
use std::fmt::Debug;

use alloy_eips::eip2930::{AccessList, AccessListItem};
use alloy_primitives::keccak256;
use alloy_rlp::{Decodable, Encodable};

use crate::data::Fixtures;
use crate::data::{self, EncodedSet, RlpValues};
use crate::measure::error::Error;
use crate::measure::workload::{case, expect_eq, Throughput};
use crate::measure::workload::{Select, Workload};

pub fn workloads(fx: &Fixtures, select: Select) -> Result<Vec<Box<dyn Workload>>, Error> {
    let values = Values::load(fx)?;
    let mut all = Vec::new();
    all.extend(scalars::workloads(&values)?);
    all.extend(strings::workloads(&values)?);
    all.extend(lists::workloads(&values)?);
    all.extend(header::workloads(fx)?);
    all.extend(transactions::workloads(fx)?);
    all.extend(block::workloads(fx)?);
    all.extend(receipts::workloads(fx)?);
    all.extend(malformed::workloads(fx)?);
    Ok(select.keep(all))
}

/// The values fixture with the manifest's expected encodings.
struct Values {
    values: RlpValues,
    sets: BTreeMap<String, EncodedSet>,
}

impl Values {
    fn load(fx: &Fixtures) -> Result<Self, Error> {
        Ok(Self { values: fx.json(data::RLP_VALUES)?, sets: fx.expected(data::RLP_VALUES)? })
    }

    /// Expected encoding of the set `name` (`u64`, `bytes55`, …).
    fn set(&self, name: &str) -> Result<EncodedSet, Error> {
        self.sets
            .get(name)
            .cloned()
            .ok_or_else(|| Error::fixture(data::RLP_VALUES, format!("manifest has no expected values for `{name}`")))
    }
}

/// The access list of the values fixture, as the alloy type.
pub fn access_list(values: &RlpValues) -> AccessList {
    AccessList(
        values
            .access_list
            .iter()
            .map(|(address, keys)| AccessListItem { address: *address, storage_keys: keys.clone() })
            .collect(),
    )
}

/// Concatenated RLP of each item: the input of the primitive decode workloads.
pub(crate) fn encode_each<T: Encodable>(items: &[T]) -> Vec<u8> {
    let mut out = Vec::new();
    for item in items {
        item.encode(&mut out);
    }
    out
}

pub fn encoded_set<T: Encodable>(items: &[T]) -> EncodedSet {
    let encoded = encode_each(items);
    EncodedSet { items: items.len(), encoded_bytes: encoded.len(), encoded_keccak: keccak256(&encoded) }
}

/// Encode every item into one reused buffer; the result must hash to the manifest's value.
fn encode_set<T: Encodable + 'static>(id: &str, about: &str, items: Vec<T>, expected: EncodedSet) -> Box<dyn Workload> {
    let throughput =
        Throughput::ElementsAndBytes { elements: items.len() as u64, bytes: expected.encoded_bytes as u64 };
    let buffer = Vec::with_capacity(expected.encoded_bytes);
    case(
        id,
        about,
        throughput,
        (items, buffer),
        |(items, buf)| {
            buf.clear();
            for item in items.iter() {
                item.encode(buf);
            }
            buf.len()
        },
        move |(_, buf), len| {
            expect_eq("encoded length", len, expected.encoded_bytes)?;
            expect_eq("keccak256 of the encoding", keccak256(buf), expected.encoded_keccak)
        },
    )
}

struct DecodeSet<T> {
    encoded: Vec<u8>,
    items: Vec<T>,
    decoded: Vec<T>,
}

/// Decode a concatenation of encoded items into a reused vector; the result
/// must equal the fixture's items.
fn decode_set<T>(id: &str, about: &str, items: Vec<T>, expected: EncodedSet) -> Result<Box<dyn Workload>, Error>
where
    T: Encodable + Decodable + PartialEq + Debug + 'static,
{
    let encoded = encode_each(&items);
    if keccak256(&encoded) != expected.encoded_keccak {
        return Err(Error::fixture(data::RLP_VALUES, format!("`{id}`: values do not encode to the manifest's keccak")));
    }
    let throughput = Throughput::ElementsAndBytes { elements: items.len() as u64, bytes: encoded.len() as u64 };
    let decoded = Vec::with_capacity(items.len());
    Ok(case(
        id,
        about,
        throughput,
        DecodeSet { encoded, items, decoded },
        |s| {
            s.decoded.clear();
            let mut buf = s.encoded.as_slice();
            while !buf.is_empty() {
                s.decoded.push(T::decode(&mut buf)?);
            }
            Ok::<usize, alloy_rlp::Error>(s.decoded.len())
        },
        |s, result| {
            let count = result.map_err(|e| format!("decoding failed: {e}"))?;
            expect_eq("decoded item count", count, s.items.len())?;
            match s.decoded.iter().zip(&s.items).position(|(got, want)| got != want) {
                Some(i) => Err(format!("item {i} decoded as {:?}, expected {:?}", s.decoded[i], s.items[i])),
                None => Ok(()),
            }
        },
    ))
}

/// Encode one value into a reused buffer; the bytes must equal `expected`.
fn encode_value<T: 'static>(
    id: &str,
    about: &str,
    elements: u64,
    value: T,
    expected: Vec<u8>,
    encode: fn(&T, &mut Vec<u8>),
) -> Box<dyn Workload> {
    let throughput = Throughput::ElementsAndBytes { elements, bytes: expected.len() as u64 };
    let buffer = Vec::with_capacity(expected.len());
    case(
        id,
        about,
        throughput,
        (value, buffer),
        move |(value, buf)| {
            buf.clear();
            encode(value, buf);
            buf.len()
        },
        move |(_, buf), len| {
            expect_eq("encoded length", len, expected.len())?;
            match buf.iter().zip(&expected).position(|(a, b)| a != b) {
                Some(i) => Err(format!("encoding differs from the fixture at byte {i}")),
                None => Ok(()),
            }
        },
    )
}

/// Decode one value from `bytes`, which it must consume entirely; `check`
/// then inspects the decoded value.
fn decode_value<T, E, C>(
    id: &str,
    about: &str,
    elements: u64,
    bytes: Vec<u8>,
    decode: fn(&mut &[u8]) -> Result<T, E>,
    check: C,
) -> Box<dyn Workload>
where
    T: 'static,
    E: std::fmt::Display + 'static,
    C: Fn(&T) -> Result<(), String> + 'static,
{
    let throughput = Throughput::ElementsAndBytes { elements, bytes: bytes.len() as u64 };
    case(
        id,
        about,
        throughput,
        bytes,
        move |bytes| {
            let mut buf = bytes.as_slice();
            decode(&mut buf).map(|value| (value, buf.len()))
        },
        move |_, result| {
            let (value, left) = result.map_err(|e| format!("decoding failed: {e}"))?;
            expect_eq("bytes left after decoding", left, 0)?;
            check(&value)
        },
    )
}
