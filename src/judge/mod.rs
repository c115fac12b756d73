//! The top layer: runs and what they decide. The Criterion runner every
//! bench target calls ([`bench_target`]), the comparator of saved baselines
//! ([`compare`]), the paired A/B of two builds ([`ab`]), main's history
//! ([`history`]), instruction counts ([`iai`]), gas per second of every
//! priced case ([`pricing`]) and the worst-case search ([`worst`]).

pub mod ab;
pub mod bench_target;
pub mod compare;
pub mod history;
pub mod iai;
pub mod pricing;
pub mod report;
pub mod worst;
