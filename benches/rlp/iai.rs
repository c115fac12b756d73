//! Instruction counts of the RLP workloads (iai-callgrind): `scripts/iai.sh rlp`.

// Bench ids are `case__input`, which src/iai.rs maps back to workload ids.
#![allow(non_snake_case)]

use ethbench::bench::prepare;
use ethbench::Workload;
use iai_callgrind::{library_benchmark, library_benchmark_group, main};

#[library_benchmark]
#[bench::encode__u64_x1024(prepare("rlp/encode/u64_x1024"))]
#[bench::decode__u64_x1024(prepare("rlp/decode/u64_x1024"))]
#[bench::decode__u256_x1024(prepare("rlp/decode/u256_x1024"))]
#[bench::decode__bytes56_x128(prepare("rlp/decode/bytes56_x128"))]
#[bench::decode__access_list_16addr(prepare("rlp/decode/access_list_16addr"))]
#[bench::encode__header(prepare("rlp/encode/header"))]
#[bench::decode__header(prepare("rlp/decode/header"))]
#[bench::decode__tx_legacy(prepare("rlp/decode/tx_legacy"))]
#[bench::decode__tx_eip1559(prepare("rlp/decode/tx_eip1559"))]
#[bench::decode__tx_eip4844(prepare("rlp/decode/tx_eip4844"))]
#[bench::decode__tx_eip7702(prepare("rlp/decode/tx_eip7702"))]
#[bench::encode__block_200tx(prepare("rlp/encode/block_200tx"))]
#[bench::decode__block_200tx(prepare("rlp/decode/block_200tx"))]
#[bench::encode__mainnet_22431084(prepare("rlp/encode/mainnet_22431084"))]
#[bench::decode__mainnet_22431084(prepare("rlp/decode/mainnet_22431084"))]
#[bench::hash__mainnet_22431084(prepare("rlp/hash/mainnet_22431084"))]
#[bench::decode__receipts_200tx(prepare("rlp/decode/receipts_200tx"))]
#[bench::reject__truncated_block(prepare("rlp/reject/truncated_block"))]
#[bench::reject__bad_last_tx(prepare("rlp/reject/bad_last_tx"))]
#[bench::reject__leading_zero_u64(prepare("rlp/reject/leading_zero_u64"))]
fn rlp(mut workload: Box<dyn Workload>) -> Box<dyn Workload> {
    workload.run();
    workload
}

library_benchmark_group!(name = group; benchmarks = rlp);
main!(library_benchmark_groups = group);
