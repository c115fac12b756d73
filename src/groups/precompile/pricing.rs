//! What each precompile charges, written from the EIPs and not from revm, so
//! every workload checks revm's gas against an independent reading of the
//! rules (as `src/groups/evm/asm.rs` does for opcodes).

use alloy_primitives::U256;

/// One precompile of the Osaka set: its name in workload ids, its address,
/// what it does and where it is specified, and its price for an input.
pub struct Precompile {
    pub name: &'static str,
    pub address: u64,
    pub about: &'static str,
    pub price: fn(&[u8]) -> Result<u64, String>,
}

/// Every precompile of Osaka. Prices: ecrecover, sha256, ripemd160 and
/// identity from the Yellow Paper (appendix E); the rest from their EIPs.
pub const OSAKA: [Precompile; 18] = [
    Precompile { name: "ecrecover", address: 0x01, about: "secp256k1 signer recovery", price: |_| Ok(3_000) },
    Precompile { name: "sha256", address: 0x02, about: "SHA-256", price: |i| Ok(60 + 12 * words(i.len())) },
    Precompile { name: "ripemd160", address: 0x03, about: "RIPEMD-160", price: |i| Ok(600 + 120 * words(i.len())) },
    Precompile { name: "identity", address: 0x04, about: "copy of the input", price: |i| Ok(15 + 3 * words(i.len())) },
    Precompile {
        name: "modexp",
        address: 0x05,
        about: "modular exponentiation (EIP-198, priced by EIP-7883)",
        price: modexp,
    },
    Precompile { name: "bn254_add", address: 0x06, about: "BN254 G1 addition (EIP-196, EIP-1108)", price: |_| Ok(150) },
    Precompile {
        name: "bn254_mul",
        address: 0x07,
        about: "BN254 G1 scalar multiplication (EIP-196, EIP-1108)",
        price: |_| Ok(6_000),
    },
    Precompile {
        name: "bn254_pairing",
        address: 0x08,
        about: "BN254 pairing check (EIP-197, EIP-1108)",
        price: |i| Ok(45_000 + 34_000 * (i.len() / 192) as u64),
    },
    Precompile {
        name: "blake2f",
        address: 0x09,
        about: "BLAKE2b compression F (EIP-152)",
        price: |i| Ok(i.get(..4).map_or(0, |r| u32::from_be_bytes(r.try_into().expect("4 bytes")) as u64)),
    },
    Precompile {
        name: "kzg_point_evaluation",
        address: 0x0a,
        about: "KZG point evaluation (EIP-4844)",
        price: |_| Ok(50_000),
    },
    Precompile { name: "bls12_g1add", address: 0x0b, about: "BLS12-381 G1 addition (EIP-2537)", price: |_| Ok(375) },
    Precompile {
        name: "bls12_g1msm",
        address: 0x0c,
        about: "BLS12-381 G1 multi-scalar multiplication (EIP-2537)",
        price: |i| msm(i.len() / 160, 12_000, &G1_DISCOUNT),
    },
    Precompile { name: "bls12_g2add", address: 0x0d, about: "BLS12-381 G2 addition (EIP-2537)", price: |_| Ok(600) },
    Precompile {
        name: "bls12_g2msm",
        address: 0x0e,
        about: "BLS12-381 G2 multi-scalar multiplication (EIP-2537)",
        price: |i| msm(i.len() / 288, 22_500, &G2_DISCOUNT),
    },
    Precompile {
        name: "bls12_pairing",
        address: 0x0f,
        about: "BLS12-381 pairing check (EIP-2537)",
        price: |i| Ok(37_700 + 32_600 * (i.len() / 384) as u64),
    },
    Precompile {
        name: "bls12_map_fp_to_g1",
        address: 0x10,
        about: "BLS12-381 map of an Fp element to G1 (EIP-2537)",
        price: |_| Ok(5_500),
    },
    Precompile {
        name: "bls12_map_fp2_to_g2",
        address: 0x11,
        about: "BLS12-381 map of an Fp2 element to G2 (EIP-2537)",
        price: |_| Ok(23_800),
    },
    Precompile {
        name: "p256verify",
        address: 0x100,
        about: "secp256r1 (P-256) signature verification (EIP-7951)",
        price: |_| Ok(6_900),
    },
];

/// The precompile named `name`.
pub(crate) fn by_name(name: &str) -> Option<&'static Precompile> {
    OSAKA.iter().find(|p| p.name == name)
}

fn words(len: usize) -> u64 {
    len.div_ceil(32) as u64
}

/// EIP-2537's MSM discounts (per mille) for 1 to 8 pairs, G1 and G2. The
/// EIP's tables go on to 128 pairs; this suite's vectors stop at 8.
const G1_DISCOUNT: [u64; 8] = [1000, 949, 848, 797, 764, 750, 738, 728];
const G2_DISCOUNT: [u64; 8] = [1000, 1000, 923, 884, 855, 832, 812, 796];

fn msm(pairs: usize, multiplication: u64, discount: &[u64; 8]) -> Result<u64, String> {
    match pairs {
        0 => Ok(0),
        k if k <= discount.len() => Ok(k as u64 * multiplication * discount[k - 1] / 1000),
        k => {
            Err(format!("an MSM of {k} pairs: this suite carries EIP-2537's discounts up to {} pairs", discount.len()))
        }
    }
}

/// EIP-7883's price (with EIP-198's layout and EIP-2565's structure):
/// max(500, complexity × iterations), where complexity is 16 up to 32-byte
/// operands and 2·words² beyond, and iterations count the exponent's bits
/// (16 per byte beyond the first 32). The final EIP dropped EIP-2565's
/// division by 3; the clients' published EIP-7883 vectors are priced so.
fn modexp(input: &[u8]) -> Result<u64, String> {
    let byte = |i: usize| input.get(i).copied().unwrap_or(0);
    let length = |at: usize| {
        let word = U256::from_be_bytes::<32>(std::array::from_fn(|i| byte(at + i)));
        u64::try_from(word).map_err(|_| format!("a length of {word} bytes is no price's input"))
    };
    let (base_len, exp_len, mod_len) = (length(0)?, length(32)?, length(64)?);
    let head_len = exp_len.min(32) as usize;
    let exp_at = 96 + base_len as usize;
    let mut head = [0u8; 32];
    for (i, b) in head[32 - head_len..].iter_mut().enumerate() {
        *b = byte(exp_at + i);
    }
    let head_bits = U256::from_be_bytes(head).bit_len() as u64;
    let iterations =
        if exp_len <= 32 { head_bits.saturating_sub(1) } else { 16 * (exp_len - 32) + head_bits.saturating_sub(1) };
    let longest = base_len.max(mod_len);
    let complexity = if longest <= 32 { 16 } else { 2 * longest.div_ceil(8).pow(2) };
    Ok((complexity * iterations.max(1)).max(500))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modexp_prices_match_the_published_eip_7883_vectors() {
        // go-ethereum's modexp_eip7883.json prices nagydani-1-pow0x10001 (64-byte
        // operands, exponent 0x10001) at 2048 and nagydani-2-square (128-byte) at 512.
        let call = |len: u64, exp: &[u8]| {
            let mut input = Vec::new();
            for n in [len, exp.len() as u64, len] {
                input.extend_from_slice(&U256::from(n).to_be_bytes::<32>());
            }
            input.extend(std::iter::repeat_n(0xab, len as usize));
            input.extend_from_slice(exp);
            input.extend(std::iter::repeat_n(0xcd, len as usize));
            modexp(&input).unwrap()
        };
        assert_eq!(call(64, &[1, 0, 1]), 2048);
        assert_eq!(call(128, &[2]), 512);
        assert_eq!(call(64, &[2]), 500, "the minimum");
    }

    #[test]
    fn msm_prices_follow_eip_2537() {
        assert_eq!(msm(1, 12_000, &G1_DISCOUNT), Ok(12_000));
        assert_eq!(msm(8, 12_000, &G1_DISCOUNT), Ok(69_888));
        assert_eq!(msm(8, 22_500, &G2_DISCOUNT), Ok(143_280));
        assert!(msm(9, 12_000, &G1_DISCOUNT).is_err());
    }
}
