//! Sender recovery: from a transaction's signature and signing hash to the
//! address that signed it, as a client does for every transaction it
//! imports. Two backends: `k256` (pure Rust, alloy's default) and
//! `secp256k1` (bindings to libsecp256k1, what reth uses); a whole block one
//! transaction after another or in parallel on rayon.

mod block;
mod reject;
mod single;

use alloy_consensus::crypto::SECP256K1N_HALF;
use alloy_consensus::SignableTransaction;
use alloy_primitives::{keccak256, Address, Signature, B256};
use rayon::prelude::*;

use crate::data::Fixtures;
use crate::data::{self, BlockTx};
use crate::measure::error::Error;
use crate::measure::workload::{Select, Workload};

pub fn workloads(fx: &Fixtures, select: Select) -> Result<Vec<Box<dyn Workload>>, Error> {
    let senders: Vec<Address> = fx.json(data::SENDERS)?;
    let fixture = crate::data::load_block(fx)?;
    let block = &fixture.value;
    if senders.len() != block.body.transactions.len() {
        return Err(Error::fixture(data::SENDERS, "does not list one sender per transaction of the block"));
    }
    let mut all = Vec::new();
    all.extend(single::workloads(fx, block, &senders)?);
    all.extend(block::workloads(block, &senders));
    all.extend(block::mainnet_workloads(fx));
    all.extend(reject::workloads(fx, block)?);
    Ok(select.keep(all))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    K256,
    Secp256k1,
}

impl Backend {
    pub const ALL: [Backend; 2] = [Backend::K256, Backend::Secp256k1];

    pub fn name(self) -> &'static str {
        match self {
            Backend::K256 => "k256",
            Backend::Secp256k1 => "secp256k1",
        }
    }
}

/// Why a signature yields no sender.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rejected {
    /// `r` or `s` is zero.
    ZeroScalar,
    /// `s` is in the upper half of the curve order (EIP-2).
    HighS,
    /// The backend found no public key for this signature.
    NoKey,
}

/// The signer of `prehash`, with the checks a client applies to a
/// transaction signature (non-zero scalars, EIP-2 low `s`) before ecrecover.
pub(crate) fn recover(backend: Backend, signature: &Signature, prehash: &B256) -> Result<Address, Rejected> {
    if signature.r().is_zero() || signature.s().is_zero() {
        return Err(Rejected::ZeroScalar);
    }
    if signature.s() > SECP256K1N_HALF {
        return Err(Rejected::HighS);
    }
    ecrecover(backend, signature, prehash)
}

/// Plain ecrecover, without the transaction rules.
pub fn ecrecover(backend: Backend, signature: &Signature, prehash: &B256) -> Result<Address, Rejected> {
    match backend {
        Backend::K256 => signature.recover_address_from_prehash(prehash).map_err(|_| Rejected::NoKey),
        Backend::Secp256k1 => {
            use secp256k1::ecdsa::{RecoverableSignature, RecoveryId};
            let mut compact = [0u8; 64];
            compact[..32].copy_from_slice(&signature.r().to_be_bytes::<32>());
            compact[32..].copy_from_slice(&signature.s().to_be_bytes::<32>());
            let id = RecoveryId::try_from(i32::from(signature.v())).map_err(|_| Rejected::NoKey)?;
            let sig = RecoverableSignature::from_compact(&compact, id).map_err(|_| Rejected::NoKey)?;
            let key = secp256k1::SECP256K1
                .recover_ecdsa(secp256k1::Message::from_digest(prehash.0), &sig)
                .map_err(|_| Rejected::NoKey)?;
            Ok(Address::from_slice(&keccak256(&key.serialize_uncompressed()[1..])[12..]))
        }
    }
}

/// The signature and signing hash of a block transaction.
pub(crate) fn signature_and_hash(tx: &BlockTx) -> (Signature, B256) {
    match tx {
        BlockTx::Legacy(t) => (*t.signature(), t.tx().signature_hash()),
        BlockTx::Eip2930(t) => (*t.signature(), t.tx().signature_hash()),
        BlockTx::Eip1559(t) => (*t.signature(), t.tx().signature_hash()),
        BlockTx::Eip4844(t) => (*t.signature(), t.tx().signature_hash()),
        BlockTx::Eip7702(t) => (*t.signature(), t.tx().signature_hash()),
    }
}

/// Senders of every transaction: the signing hash, then recovery.
pub fn recover_block(backend: Backend, txs: &[BlockTx], parallel: bool) -> Result<Vec<Address>, Rejected> {
    let one = |tx: &BlockTx| {
        let (signature, hash) = signature_and_hash(tx);
        recover(backend, &signature, &hash)
    };
    if parallel {
        txs.par_iter().map(one).collect()
    } else {
        txs.iter().map(one).collect()
    }
}
