//! Instruction counts of the small block's stages (iai-callgrind):
//! `scripts/iai.sh pipeline`. The commit counts its user-space side (not the
//! fsync); the rayon stages and the whole import, which recovers senders on
//! rayon, have none (`ethbench::judge::iai::uncounted`).

// Bench ids are `case__input`, which src/judge/iai.rs maps back to workload ids.
#![allow(non_snake_case)]

use ethbench::judge::bench_target::prepare;
use ethbench::Workload;
use iai_callgrind::{library_benchmark, library_benchmark_group, main};

#[library_benchmark]
#[bench::mixed_3m_1e4__decode(prepare("pipeline/mixed_3m_1e4/decode"))]
#[bench::mixed_3m_1e4__senders(prepare("pipeline/mixed_3m_1e4/senders"))]
#[bench::mixed_3m_1e4__execute(prepare("pipeline/mixed_3m_1e4/execute"))]
#[bench::mixed_3m_1e4__state_root(prepare("pipeline/mixed_3m_1e4/state_root"))]
#[bench::mixed_3m_1e4__commit(prepare("pipeline/mixed_3m_1e4/commit"))]
fn pipeline(mut workload: Box<dyn Workload>) -> Box<dyn Workload> {
    workload.run();
    workload
}

library_benchmark_group!(name = group; benchmarks = pipeline);
main!(config = ethbench::judge::bench_target::iai_config(); library_benchmark_groups = group);
