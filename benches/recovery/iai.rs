//! Instruction counts of sender recovery (iai-callgrind): `scripts/iai.sh recovery`.
//! The rayon variants have none (`ethbench::judge::iai::uncounted`).

// Bench ids are `case__input`, which src/judge/iai.rs maps back to workload ids.
#![allow(non_snake_case)]

use ethbench::judge::bench_target::prepare;
use ethbench::Workload;
use iai_callgrind::{library_benchmark, library_benchmark_group, main};

#[library_benchmark]
#[bench::single__k256(prepare("recovery/single/k256"))]
#[bench::single__secp256k1(prepare("recovery/single/secp256k1"))]
#[bench::single__revm_precompile(prepare("recovery/single/revm_precompile"))]
#[bench::block_200tx__k256_sequential(prepare("recovery/block_200tx/k256_sequential"))]
#[bench::block_200tx__secp256k1_sequential(prepare("recovery/block_200tx/secp256k1_sequential"))]
#[bench::mainnet_17034870__k256_sequential(prepare("recovery/mainnet_17034870/k256_sequential"))]
#[bench::mainnet_19426587__k256_sequential(prepare("recovery/mainnet_19426587/k256_sequential"))]
#[bench::mainnet_22431084__k256_sequential(prepare("recovery/mainnet_22431084/k256_sequential"))]
#[bench::mainnet_17034870__secp256k1_sequential(prepare("recovery/mainnet_17034870/secp256k1_sequential"))]
#[bench::mainnet_19426587__secp256k1_sequential(prepare("recovery/mainnet_19426587/secp256k1_sequential"))]
#[bench::mainnet_22431084__secp256k1_sequential(prepare("recovery/mainnet_22431084/secp256k1_sequential"))]
#[bench::reject__high_s(prepare("recovery/reject/high_s"))]
#[bench::reject__zero_r(prepare("recovery/reject/zero_r"))]
#[bench::reject__legacy_v29(prepare("recovery/reject/legacy_v29"))]
fn recovery(mut workload: Box<dyn Workload>) -> Box<dyn Workload> {
    workload.run();
    workload
}

library_benchmark_group!(name = group; benchmarks = recovery);
main!(config = ethbench::judge::bench_target::iai_config(); library_benchmark_groups = group);
