//! The one seed every generated input derives from: a named ChaCha20 stream
//! per input, and secp256k1 signing keys drawn from a stream. The generator
//! (`gen`) writes the fixtures with them, and workloads that generate their
//! input at run time (the pipeline's blocks, the EVM block) use the same.

use alloy_primitives::{keccak256, Signature, B256};
use k256::ecdsa::SigningKey;
use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;

/// The master seed ("ethbench" in ASCII).
pub const SEED: u64 = 0x6574_6862_656e_6368;

/// The ChaCha20 stream named `stream`.
pub fn rng(stream: &str) -> ChaCha20Rng {
    ChaCha20Rng::from_seed(keccak256(format!("{SEED:#x}/{stream}")).0)
}

/// The first valid secp256k1 key the stream yields.
pub fn signing_key(rng: &mut ChaCha20Rng) -> SigningKey {
    loop {
        let mut secret = [0u8; 32];
        rng.fill_bytes(&mut secret);
        if let Ok(key) = SigningKey::from_slice(&secret) {
            return key;
        }
    }
}

/// A recoverable signature of `prehash`.
pub fn sign(key: &SigningKey, prehash: B256) -> Signature {
    let (sig, recid) = key.sign_prehash_recoverable(prehash.as_slice()).expect("a 32-byte prehash is always signable");
    Signature::from((sig, recid))
}
