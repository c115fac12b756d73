//! Heap figures per run of a workload, from dhat's counters. They need dhat
//! as the global allocator (feature `heap`, or a test binary's own
//! `#[global_allocator]`) and a running `dhat::Profiler`.

use crate::measure::workload::Workload;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HeapFigures {
    pub allocations_per_op: f64,
    pub bytes_per_op: f64,
    /// Most bytes live at once in the process so far (set-up included).
    pub peak_live_bytes: u64,
}

/// Run `w` `runs` times (reset first, when it changes state) and count what it allocated.
pub fn measure(w: &mut dyn Workload, runs: u64) -> Result<HeapFigures, crate::measure::error::Error> {
    let mut blocks = 0;
    let mut bytes = 0;
    for _ in 0..runs.max(1) {
        w.reset()?;
        let before = dhat::HeapStats::get();
        w.run();
        let after = dhat::HeapStats::get();
        blocks += after.total_blocks - before.total_blocks;
        bytes += after.total_bytes - before.total_bytes;
    }
    // Put back what the last run changed: workloads of one tier share its
    // database, and the next one's verify expects the state as built.
    w.reset()?;
    let runs = runs.max(1) as f64;
    Ok(HeapFigures {
        allocations_per_op: blocks as f64 / runs,
        bytes_per_op: bytes as f64 / runs,
        peak_live_bytes: dhat::HeapStats::get().max_bytes as u64,
    })
}
