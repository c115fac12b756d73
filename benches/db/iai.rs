//! Instruction counts of MDBX writes and reads (iai-callgrind): `scripts/iai.sh db`.
//! The user-space side only: a sync mode's fsync is the kernel's work, which
//! callgrind does not see, so the four `commit_each` twins count alike.

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
#[bench::commit_each__durable_100(prepare("db/commit_each/durable_100"))]
#[bench::commit_each__no_meta_sync_100(prepare("db/commit_each/no_meta_sync_100"))]
#[bench::commit_each__safe_no_sync_100(prepare("db/commit_each/safe_no_sync_100"))]
#[bench::commit_each__utterly_no_sync_100(prepare("db/commit_each/utterly_no_sync_100"))]
#[bench::batch__accounts_random_1(prepare("db/batch/accounts_random_1"))]
#[bench::batch__accounts_random_10(prepare("db/batch/accounts_random_10"))]
#[bench::batch__accounts_random_100(prepare("db/batch/accounts_random_100"))]
#[bench::batch__accounts_random_10k(prepare("db/batch/accounts_random_10k"))]
#[bench::batch__accounts_sorted_put_10k(prepare("db/batch/accounts_sorted_put_10k"))]
#[bench::read__point_random_1k(prepare("db/read/point_random_1k"))]
#[bench::read__range_scan_10k(prepare("db/read/range_scan_10k"))]
fn db(mut workload: Box<dyn Workload>) -> Box<dyn Workload> {
    workload.run();
    workload
}

library_benchmark_group!(name = group; benchmarks = db);
main!(config = ethbench::judge::bench_target::iai_config(); library_benchmark_groups = group);
