//! One transaction of each envelope type, in EIP-2718 form (type byte +
//! RLP), the form hashed for the transaction hash and stored by clients.
//! Each stands for its type: the one of median encoded length in the block.

use alloy_eips::eip2718::{Decodable2718, Encodable2718};

use super::{decode_value, encode_value};
use crate::data::load_block;
use crate::data::Fixtures;
use crate::data::{self, BlockExpected, BlockTx, Envelope};
use crate::measure::error::Error;
use crate::measure::workload::expect_eq;
use crate::measure::workload::Workload;

pub(super) fn workloads(fx: &Fixtures) -> Result<Vec<Box<dyn Workload>>, Error> {
    let expected: BlockExpected = fx.expected(data::BLOCK)?;
    let fixture = load_block(fx)?;
    let block = &fixture.value;
    let mut all = Vec::new();
    for ty in Envelope::ALL {
        let pick = expected.pick(ty.name())?.clone();
        let tx = block
            .body
            .transactions
            .get(pick.index)
            .cloned()
            .ok_or_else(|| Error::fixture(data::BLOCK, format!("has no transaction {}", pick.index)))?;
        let bytes = tx.encoded_2718();
        let id = format!("tx_{}", ty.name());
        let about = format!("a {}-byte {} transaction in EIP-2718 form", bytes.len(), ty.name());
        all.push(encode_value(
            &format!("rlp/encode/{id}"),
            &format!("encode {about}"),
            1,
            tx,
            bytes.clone(),
            |tx, buf| tx.encode_2718(buf),
        ));
        all.push(decode_value(
            &format!("rlp/decode/{id}"),
            &format!("decode {about}"),
            1,
            bytes,
            BlockTx::decode_2718,
            move |tx| {
                expect_eq("envelope type", Envelope::of(tx), ty)?;
                expect_eq("transaction hash", tx.trie_hash(), pick.hash)
            },
        ));
    }
    Ok(all)
}
