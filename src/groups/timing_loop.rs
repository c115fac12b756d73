//! The timing loop itself (`harness/*`): an operation that only hands its
//! input back, so its figure is the floor under every other figure in the
//! suite. [`crate::measure::workload::Workload::time`] inlines the operation into one loop with
//! one clock read per batch; were a virtual call or a clock read paid per
//! run, this would show it (it should stay well under a nanosecond).

use crate::data::Fixtures;
use crate::measure::error::Error;
use crate::measure::workload::{case, expect_eq, Throughput};
use crate::measure::workload::{Select, Workload};

/// What the operation hands back: its (black-boxed) input.
const VALUE: u64 = 0x2a;

pub fn workloads(_: &Fixtures, select: Select) -> Result<Vec<Box<dyn Workload>>, Error> {
    Ok(select.keep(vec![case(
        "harness/loop/noop",
        "the timing loop around an operation that returns its black-boxed input: the floor under every figure",
        Throughput::Elements(1),
        VALUE,
        |value| *value,
        |_, returned| expect_eq("returned value", returned, VALUE),
    )]))
}
