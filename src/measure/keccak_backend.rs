//! The Keccak-256 implementation behind `alloy_primitives::keccak256`
//! (and so behind revm's KECCAK256, the tries and the signing hashes),
//! chosen at compile time for A/B runs: `--features keccak-asm` or
//! `--features keccak-tiny`; RustCrypto's `sha3` otherwise.

#[cfg(all(feature = "keccak-asm", feature = "keccak-tiny"))]
compile_error!("features `keccak-asm` and `keccak-tiny` both select the keccak backend; enable at most one of them");

/// Name of the keccak backend this build uses.
pub const ACTIVE: &str = if cfg!(feature = "keccak-asm") {
    "keccak-asm"
} else if cfg!(feature = "keccak-tiny") {
    "tiny-keccak"
} else {
    "sha3"
};
