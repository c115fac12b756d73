//! Fixtures that are RLP: their bytes and the value they decode to, read
//! (checksum first) and decoded once per process, outside any timed region.
//! The data every group starts from, so it lives with the fixtures rather
//! than with the RLP group that benchmarks the decoding.

use alloy_consensus::ReceiptEnvelope;
use alloy_rlp::Decodable;

use super::{EthBlock, Fixtures, BLOCK, RECEIPTS};
use crate::measure::error::Error;

/// An RLP fixture: its bytes, and the value they decode to.
pub struct Decoded<T> {
    pub bytes: Vec<u8>,
    pub value: T,
}

impl<T: Decodable> Decoded<T> {
    /// Read fixture `name` (checksum first) and decode it as `what`.
    pub(crate) fn read(fx: &Fixtures, name: &str, what: &str) -> Result<Self, Error> {
        let bytes = fx.bytes(name)?;
        let value = T::decode(&mut bytes.as_slice())
            .map_err(|e| Error::fixture(name, format!("does not decode as {what}: {e}")))?;
        Ok(Self { bytes, value })
    }
}

/// The block fixture, checked and decoded once per process, outside any timed region.
pub fn load_block(fx: &Fixtures) -> Result<std::sync::Arc<Decoded<EthBlock>>, Error> {
    fx.shared(|fx| Decoded::read(fx, BLOCK, "a block"))
}

/// The receipts fixture, checked and decoded once per process.
pub fn load_receipts(fx: &Fixtures) -> Result<std::sync::Arc<Decoded<Vec<ReceiptEnvelope>>>, Error> {
    fx.shared(|fx| Decoded::read(fx, RECEIPTS, "receipts"))
}
