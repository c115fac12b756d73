//! Instruction counts of EVM execution (iai-callgrind): `scripts/iai.sh evm`.
//! A representative subset: every program here loads the 100k-account
//! state under valgrind first, which costs seconds per benchmark.

// Bench ids are `case__input`, which src/judge/iai.rs maps back to workload ids.
#![allow(non_snake_case)]

use ethbench::judge::bench_target::prepare;
use ethbench::Workload;
use iai_callgrind::{library_benchmark, library_benchmark_group, main};

#[library_benchmark]
#[bench::op__add(prepare("evm/op/add"))]
#[bench::baseline__add(prepare("evm/baseline/add"))]
#[bench::op__keccak256_32b(prepare("evm/op/keccak256_32b"))]
#[bench::storage__sload_cold(prepare("evm/storage/sload_cold"))]
#[bench::storage__sstore_zero_to_nonzero(prepare("evm/storage/sstore_zero_to_nonzero"))]
#[bench::contract__erc20_transfer(prepare("evm/contract/erc20_transfer"))]
#[bench::contract__uniswap_v2_swap(prepare("evm/contract/uniswap_v2_swap"))]
#[bench::block__execute_200tx(prepare("evm/block/execute_200tx"))]
fn evm(mut workload: Box<dyn Workload>) -> Box<dyn Workload> {
    workload.run();
    workload
}

library_benchmark_group!(name = group; benchmarks = evm);
main!(library_benchmark_groups = group);
