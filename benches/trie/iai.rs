//! Instruction counts of the trie workloads (iai-callgrind): `scripts/iai.sh trie`.
//! The rayon variant has none (`ethbench::judge::iai::uncounted`).

// Bench ids are `case__input`, which src/judge/iai.rs maps back to workload ids.
#![allow(non_snake_case)]

use ethbench::judge::bench_target::prepare;
use ethbench::Workload;
use iai_callgrind::{library_benchmark, library_benchmark_group, main};

#[library_benchmark]
#[bench::keccak__addresses_10k(prepare("trie/keccak/addresses_10k"))]
#[bench::keccak__slots_10k(prepare("trie/keccak/slots_10k"))]
#[bench::storage_root__slots_10k(prepare("trie/storage_root/slots_10k"))]
#[bench::storage_root__slots_1k(prepare("trie/storage_root/slots_1k"))]
#[bench::state_root__accounts_1k(prepare("trie/state_root/accounts_1k"))]
#[bench::state_root__accounts_10k(prepare("trie/state_root/accounts_10k"))]
#[bench::full_state_root__sequential_10k(prepare("trie/full_state_root/sequential_10k"))]
#[bench::multiproof__targets_1(prepare("trie/multiproof/targets_1"))]
#[bench::multiproof__targets_100(prepare("trie/multiproof/targets_100"))]
#[bench::multiproof__targets_1000(prepare("trie/multiproof/targets_1000"))]
#[bench::transactions_root__mainnet_17034870(prepare("trie/transactions_root/mainnet_17034870"))]
#[bench::transactions_root__mainnet_19426587(prepare("trie/transactions_root/mainnet_19426587"))]
#[bench::transactions_root__mainnet_22431084(prepare("trie/transactions_root/mainnet_22431084"))]
#[bench::receipts_root__mainnet_17034870(prepare("trie/receipts_root/mainnet_17034870"))]
#[bench::receipts_root__mainnet_19426587(prepare("trie/receipts_root/mainnet_19426587"))]
#[bench::receipts_root__mainnet_22431084(prepare("trie/receipts_root/mainnet_22431084"))]
#[bench::transactions_root__block_200tx(prepare("trie/transactions_root/block_200tx"))]
#[bench::receipts_root__block_200tx(prepare("trie/receipts_root/block_200tx"))]
#[bench::state_root__accounts_100k(prepare("trie/state_root/accounts_100k"))]
fn trie(mut workload: Box<dyn Workload>) -> Box<dyn Workload> {
    workload.run();
    workload
}

library_benchmark_group!(name = group; benchmarks = trie);
main!(config = ethbench::judge::bench_target::iai_config(); library_benchmark_groups = group);
