//! Paired A/B measurement between two builds.
//!
//! Machine noise here comes in windows about a second long that run 30–60%
//! slow. Two whole-suite runs minutes apart pair a slow window on one side
//! with a quiet one on the other, and no statistic can undo that. So both
//! builds run at once, each in a long-lived [`worker`] process that prepares
//! its fixtures once, and the [`driver`] asks them in turn, in random order,
//! to time chunks of tens of milliseconds of the same workload: each pair of
//! chunks shares its window of noise. The verdict is
//! [`crate::judge::compare::paired_ratio`] against the floor, and the driver keeps
//! measuring a benchmark only while its interval straddles the floor.

pub mod driver;
pub mod plant;
pub mod shard;
pub mod stopping_rule;
pub mod worker;

pub use driver::{run, Options, Outcome};
