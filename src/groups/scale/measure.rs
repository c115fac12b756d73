//! Measuring one workload of a tier: time per operation with its interval,
//! and I/O per operation, through the workload's own timing loop.

use std::time::{Duration, Instant};

use super::io::{Counters, PerOp};
use crate::measure::error::Error;
use crate::measure::workload::{Throughput, Workload};

/// One workload's figures at one tier.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Measured {
    pub id: String,
    /// Nanoseconds per operation: the Hodges–Lehmann estimate over the samples, and its 95% interval.
    pub ns: (f64, f64, f64),
    pub io: PerOp,
    pub samples: usize,
    pub ops: u64,
}

/// Samples per workload; ten give a 95% Wilcoxon interval.
const SAMPLES: usize = 10;

/// Operations one run performs: a read workload does 100 reads in a run.
pub fn ops_per_run(t: Throughput) -> u64 {
    match t {
        Throughput::Elements(n) | Throughput::ElementsAndBytes { elements: n, .. } => n.max(1),
        Throughput::Bytes(_) | Throughput::Gas(_) => 1,
    }
}

/// Verify `w`, then take `SAMPLES` samples in about `budget` of wall time.
///
/// I/O is counted around the samples, resets included, and the I/O of as
/// many resets measured alone is subtracted: what is left is the
/// operations' own. (A cold workload's reset reopens the database, which
/// reads its meta pages.)
pub fn measure(w: &mut dyn Workload, budget: Duration) -> Result<Measured, Error> {
    w.verify()?;
    let per_run = ops_per_run(w.throughput());
    // One run, timed by the wall clock with its reset, sizes the samples.
    let pilot = Instant::now();
    w.time(1)?;
    let wall_per_run = pilot.elapsed().max(Duration::from_micros(1));
    let runs_per_sample =
        ((budget.as_secs_f64() / SAMPLES as f64) / wall_per_run.as_secs_f64()).floor().max(1.0) as u64;

    let before = Counters::now();
    let mut ns = Vec::with_capacity(SAMPLES);
    for _ in 0..SAMPLES {
        let t = w.time(runs_per_sample)?;
        ns.push(t.as_nanos() as f64 / (runs_per_sample * per_run) as f64);
    }
    let during = Counters::now().since(before);
    let runs = runs_per_sample * SAMPLES as u64;
    let resets = if w.needs_reset() { reset_io(w, runs)? } else { Counters::default() };
    let own = during.since(resets);
    let ops = runs * per_run;
    Ok(Measured {
        id: w.id().to_owned(),
        ns: crate::measure::stats::hodges_lehmann(&ns, 0.95),
        io: PerOp::of(own, ops),
        samples: SAMPLES,
        ops,
    })
}

/// The I/O of `runs` resets, estimated from up to 20 measured alone, each
/// after an uncounted run (a reset that puts back what a run wrote has
/// nothing to do unless a run came first).
fn reset_io(w: &mut dyn Workload, runs: u64) -> Result<Counters, Error> {
    let alone = runs.min(20);
    let mut c = Counters::default();
    for _ in 0..alone {
        w.run();
        let before = Counters::now();
        w.reset()?;
        c = c.plus(Counters::now().since(before));
    }
    let scale = |v: u64| (v as f64 * runs as f64 / alone as f64).round() as u64;
    Ok(Counters {
        read_bytes: scale(c.read_bytes),
        write_bytes: scale(c.write_bytes),
        read_calls: scale(c.read_calls),
        write_calls: scale(c.write_calls),
        major_faults: scale(c.major_faults),
        minor_faults: scale(c.minor_faults),
    })
}
