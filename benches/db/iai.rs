//! Instruction counts of MDBX writes (iai-callgrind): `scripts/iai.sh db`.
//! The read workloads are left out: building their 1M-row table under
//! valgrind takes minutes for every benchmark.

// Bench ids are `case__input`, which src/judge/iai.rs maps back to workload ids.
#![allow(non_snake_case)]

use ethbench::judge::bench_target::prepare;
use ethbench::Workload;
use iai_callgrind::{library_benchmark, library_benchmark_group, main};

#[library_benchmark]
#[bench::batch__accounts_random_1k(prepare("db/batch/accounts_random_1k"))]
#[bench::batch__accounts_append_10k(prepare("db/batch/accounts_append_10k"))]
#[bench::batch__storage_append_dup_10k(prepare("db/batch/storage_append_dup_10k"))]
#[bench::batch__headers_append_1k(prepare("db/batch/headers_append_1k"))]
fn db(mut workload: Box<dyn Workload>) -> Box<dyn Workload> {
    workload.run();
    workload
}

library_benchmark_group!(name = group; benchmarks = db);
main!(library_benchmark_groups = group);
