//! Planted slowdowns, for measuring what the verdict can resolve on a given
//! machine (`scripts/calibrate.sh`). They exist only in a build with feature
//! `plant`; in any other build [`Plant::parse`] refuses every plant, so no
//! planted code can be active in a normal run.

use std::time::{Duration, Instant};

use crate::measure::workload::Workload;

/// A known change applied to one workload on one side of a paired run.
///
/// Every chunk, planted or not, is timed through [`Plant::time`] (`None`
/// when nothing is planted): a planted call path one frame deeper than the
/// unplanted one ran the whole workload at another stack address, and that
/// alone made the CALL programs 3–17% faster on the planted side here.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Plant {
    /// Nothing planted.
    #[default]
    None,
    /// Every run is slower by this fraction: a busy spin of that share of
    /// the measured time, inside the timed window.
    Uniform(f64),
    /// One extra run in `every`: a cost that recurs (a rehash, a flush), of
    /// `1 / every` on average, which a median over runs would not see.
    Amortized { every: u64, runs: u64 },
}

impl Plant {
    pub(crate) const AVAILABLE: bool = cfg!(feature = "plant");

    /// `uniform:PERCENT` or `amortized:EVERY`.
    pub fn parse(spec: &str) -> Result<Plant, String> {
        if !Self::AVAILABLE {
            return Err("this build has no planted changes; build it with `--features plant`".to_owned());
        }
        let bad = || format!("`{spec}` is not a plant (`uniform:PERCENT` or `amortized:EVERY`)");
        let (kind, value) = spec.split_once(':').ok_or_else(bad)?;
        match kind {
            "uniform" => value
                .parse::<f64>()
                .ok()
                .filter(|p| *p > 0.0 && *p < 1000.0)
                .map(|p| Plant::Uniform(p / 100.0))
                .ok_or_else(bad),
            "amortized" => value
                .parse::<u64>()
                .ok()
                .filter(|n| *n >= 2)
                .map(|every| Plant::Amortized { every, runs: 0 })
                .ok_or_else(bad),
            _ => Err(bad()),
        }
    }

    /// Start an amortized plant's count at `phase` (mod `every`). Each round
    /// starts fresh processes, so a count from zero puts the extra run at the
    /// same place in every round; for a slow workload (a few runs per chunk)
    /// that place was always an untimed warm-up, and the plant never showed.
    /// The worker passes its per-round random draw.
    pub fn with_phase(self, phase: u64) -> Plant {
        match self {
            Plant::Amortized { every, .. } => Plant::Amortized { every, runs: phase % every },
            other => other,
        }
    }

    /// Time `iters` runs of `w` with the plant applied.
    #[inline(never)]
    pub fn time(&mut self, w: &mut dyn Workload, iters: u64) -> Result<Duration, crate::measure::error::Error> {
        match self {
            Plant::None => w.time(iters),
            Plant::Uniform(fraction) => {
                let measured = w.time(iters)?;
                Ok(measured + spin(measured.mul_f64(*fraction)))
            }
            Plant::Amortized { every, runs } => {
                let extra = (*runs + iters) / *every - *runs / *every;
                *runs += iters;
                w.time(iters + extra)
            }
        }
    }
}

/// Busy-wait for about `length`; returns how long it really took.
fn spin(length: Duration) -> Duration {
    let start = Instant::now();
    while start.elapsed() < length {
        std::hint::spin_loop();
    }
    start.elapsed()
}
