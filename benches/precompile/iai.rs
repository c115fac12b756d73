//! Instruction counts of the precompiles (iai-callgrind): `scripts/iai.sh precompile`.
//! Every one; c-kzg's trusted setup loads before instrumentation starts.

// Bench ids are `case__input`, which src/judge/iai.rs maps back to workload ids.
#![allow(non_snake_case)]

use ethbench::judge::bench_target::prepare;
use ethbench::Workload;
use iai_callgrind::{library_benchmark, library_benchmark_group, main};

#[library_benchmark]
#[bench::ecrecover__unrecoverable_key(prepare("precompile/ecrecover/unrecoverable_key"))]
#[bench::ecrecover__valid_key(prepare("precompile/ecrecover/valid_key"))]
#[bench::sha256__1kib(prepare("precompile/sha256/1kib"))]
#[bench::sha256__32b(prepare("precompile/sha256/32b"))]
#[bench::ripemd160__1kib(prepare("precompile/ripemd160/1kib"))]
#[bench::ripemd160__32b(prepare("precompile/ripemd160/32b"))]
#[bench::identity__1kib(prepare("precompile/identity/1kib"))]
#[bench::identity__32b(prepare("precompile/identity/32b"))]
#[bench::modexp__1024b_pow0x10001(prepare("precompile/modexp/1024b_pow0x10001"))]
#[bench::modexp__marius_1_even(prepare("precompile/modexp/marius_1_even"))]
#[bench::modexp__nagydani_1_square(prepare("precompile/modexp/nagydani_1_square"))]
#[bench::modexp__nagydani_3_pow0x10001(prepare("precompile/modexp/nagydani_3_pow0x10001"))]
#[bench::bn254_add__chfast1(prepare("precompile/bn254_add/chfast1"))]
#[bench::bn254_add__invalid_point(prepare("precompile/bn254_add/invalid_point"))]
#[bench::bn254_mul__cdetrio1(prepare("precompile/bn254_mul/cdetrio1"))]
#[bench::bn254_pairing__2_pairs(prepare("precompile/bn254_pairing/2_pairs"))]
#[bench::bn254_pairing__8_pairs(prepare("precompile/bn254_pairing/8_pairs"))]
#[bench::blake2f__12_rounds(prepare("precompile/blake2f/12_rounds"))]
#[bench::bls12_g1add__g1_plus_g1(prepare("precompile/bls12_g1add/g1_plus_g1"))]
#[bench::bls12_g1add__wrong_length(prepare("precompile/bls12_g1add/wrong_length"))]
#[bench::bls12_g1msm__1_pair(prepare("precompile/bls12_g1msm/1_pair"))]
#[bench::bls12_g1msm__8_pairs(prepare("precompile/bls12_g1msm/8_pairs"))]
#[bench::bls12_g2add__g2_plus_g2(prepare("precompile/bls12_g2add/g2_plus_g2"))]
#[bench::bls12_g2msm__1_pair(prepare("precompile/bls12_g2msm/1_pair"))]
#[bench::bls12_g2msm__8_pairs(prepare("precompile/bls12_g2msm/8_pairs"))]
#[bench::bls12_pairing__2_pairs(prepare("precompile/bls12_pairing/2_pairs"))]
#[bench::bls12_pairing__8_pairs(prepare("precompile/bls12_pairing/8_pairs"))]
#[bench::bls12_map_fp_to_g1__matter_0(prepare("precompile/bls12_map_fp_to_g1/matter_0"))]
#[bench::bls12_map_fp2_to_g2__matter_0(prepare("precompile/bls12_map_fp2_to_g2/matter_0"))]
#[bench::p256verify__invalid_signature(prepare("precompile/p256verify/invalid_signature"))]
#[bench::p256verify__valid(prepare("precompile/p256verify/valid"))]
#[bench::blake2f__1m_rounds(prepare("precompile/blake2f/1m_rounds"))]
#[bench::kzg_point_evaluation__valid(prepare("precompile/kzg_point_evaluation/valid"))]
#[bench::kzg_point_evaluation__invalid_proof(prepare("precompile/kzg_point_evaluation/invalid_proof"))]
fn precompile(mut workload: Box<dyn Workload>) -> Box<dyn Workload> {
    workload.run();
    workload
}

library_benchmark_group!(name = group; benchmarks = precompile);
main!(config = ethbench::judge::bench_target::iai_config(); library_benchmark_groups = group);
