//! Instruction counts of the RLP workloads (iai-callgrind): `scripts/iai.sh rlp`.

// Bench ids are `case__input`, which src/judge/iai.rs maps back to workload ids.
#![allow(non_snake_case)]

use ethbench::judge::bench_target::prepare;
use ethbench::Workload;
use iai_callgrind::{library_benchmark, library_benchmark_group, main};

#[library_benchmark]
#[bench::encode__u64_x1024(prepare("rlp/encode/u64_x1024"))]
#[bench::decode__u64_x1024(prepare("rlp/decode/u64_x1024"))]
#[bench::encode__u256_x1024(prepare("rlp/encode/u256_x1024"))]
#[bench::decode__u256_x1024(prepare("rlp/decode/u256_x1024"))]
#[bench::encode__bytes1_x128(prepare("rlp/encode/bytes1_x128"))]
#[bench::decode__bytes1_x128(prepare("rlp/decode/bytes1_x128"))]
#[bench::encode__bytes32_x128(prepare("rlp/encode/bytes32_x128"))]
#[bench::decode__bytes32_x128(prepare("rlp/decode/bytes32_x128"))]
#[bench::encode__bytes55_x128(prepare("rlp/encode/bytes55_x128"))]
#[bench::decode__bytes55_x128(prepare("rlp/decode/bytes55_x128"))]
#[bench::encode__bytes56_x128(prepare("rlp/encode/bytes56_x128"))]
#[bench::decode__bytes56_x128(prepare("rlp/decode/bytes56_x128"))]
#[bench::encode__bytes1k_x32(prepare("rlp/encode/bytes1k_x32"))]
#[bench::decode__bytes1k_x32(prepare("rlp/decode/bytes1k_x32"))]
#[bench::encode__access_list_16addr(prepare("rlp/encode/access_list_16addr"))]
#[bench::decode__access_list_16addr(prepare("rlp/decode/access_list_16addr"))]
#[bench::hash__mainnet_17034870(prepare("rlp/hash/mainnet_17034870"))]
#[bench::hash__mainnet_19426587(prepare("rlp/hash/mainnet_19426587"))]
#[bench::hash__mainnet_22431084(prepare("rlp/hash/mainnet_22431084"))]
#[bench::encode__header(prepare("rlp/encode/header"))]
#[bench::decode__header(prepare("rlp/decode/header"))]
#[bench::hash__header(prepare("rlp/hash/header"))]
#[bench::encode__tx_legacy(prepare("rlp/encode/tx_legacy"))]
#[bench::decode__tx_legacy(prepare("rlp/decode/tx_legacy"))]
#[bench::encode__tx_eip2930(prepare("rlp/encode/tx_eip2930"))]
#[bench::decode__tx_eip2930(prepare("rlp/decode/tx_eip2930"))]
#[bench::encode__tx_eip1559(prepare("rlp/encode/tx_eip1559"))]
#[bench::decode__tx_eip1559(prepare("rlp/decode/tx_eip1559"))]
#[bench::encode__tx_eip4844(prepare("rlp/encode/tx_eip4844"))]
#[bench::decode__tx_eip4844(prepare("rlp/decode/tx_eip4844"))]
#[bench::encode__tx_eip7702(prepare("rlp/encode/tx_eip7702"))]
#[bench::decode__tx_eip7702(prepare("rlp/decode/tx_eip7702"))]
#[bench::encode__block_200tx(prepare("rlp/encode/block_200tx"))]
#[bench::decode__block_200tx(prepare("rlp/decode/block_200tx"))]
#[bench::decode__mainnet_17034870(prepare("rlp/decode/mainnet_17034870"))]
#[bench::decode__mainnet_19426587(prepare("rlp/decode/mainnet_19426587"))]
#[bench::decode__mainnet_22431084(prepare("rlp/decode/mainnet_22431084"))]
#[bench::encode__mainnet_17034870(prepare("rlp/encode/mainnet_17034870"))]
#[bench::encode__mainnet_19426587(prepare("rlp/encode/mainnet_19426587"))]
#[bench::encode__mainnet_22431084(prepare("rlp/encode/mainnet_22431084"))]
#[bench::encode__receipts_200tx(prepare("rlp/encode/receipts_200tx"))]
#[bench::decode__receipts_200tx(prepare("rlp/decode/receipts_200tx"))]
#[bench::reject__truncated_block(prepare("rlp/reject/truncated_block"))]
#[bench::reject__bad_last_tx(prepare("rlp/reject/bad_last_tx"))]
#[bench::reject__short_list_header(prepare("rlp/reject/short_list_header"))]
#[bench::reject__leading_zero_u64(prepare("rlp/reject/leading_zero_u64"))]
#[bench::reject__noncanonical_single_byte(prepare("rlp/reject/noncanonical_single_byte"))]
#[bench::reject__overflow_u64(prepare("rlp/reject/overflow_u64"))]
#[bench::reject__noncanonical_size(prepare("rlp/reject/noncanonical_size"))]
fn rlp(mut workload: Box<dyn Workload>) -> Box<dyn Workload> {
    workload.run();
    workload
}

library_benchmark_group!(name = group; benchmarks = rlp);
main!(config = ethbench::judge::bench_target::iai_config(); library_benchmark_groups = group);
