//! The unit every runner shares: prepared input, one timed operation, and a
//! check of that operation's result.

use std::hint::black_box;

use crate::Error;

/// What one run of a workload processes, for bytes/s and elements/s figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Throughput {
    Bytes(u64),
    Elements(u64),
    ElementsAndBytes { elements: u64, bytes: u64 },
}

pub trait Workload {
    /// Stable hierarchical id, `group/case/size`, e.g. `rlp/decode/block_200tx`.
    fn id(&self) -> &str;
    /// One line: what is timed, on which input.
    fn about(&self) -> &str;
    fn throughput(&self) -> Throughput;
    /// The timed operation, exactly once. Input and result pass through
    /// `black_box`, so the optimiser can neither precompute nor delete it.
    fn run(&mut self);
    /// Run the same operation once and check its result against the fixture.
    fn verify(&mut self) -> Result<(), Error>;
}

/// A workload built from an input, an operation and a check.
///
/// `op` is the only code that is timed; `check` sees the input and what `op`
/// returned, so anything the check inspects was computed by the timed code.
pub struct Case<I, O, F, C> {
    id: String,
    about: String,
    throughput: Throughput,
    input: I,
    op: F,
    check: C,
    _output: std::marker::PhantomData<fn() -> O>,
}

/// Box a [`Case`] as a [`Workload`].
pub fn case<I, O, F, C>(
    id: impl Into<String>,
    about: impl Into<String>,
    throughput: Throughput,
    input: I,
    op: F,
    check: C,
) -> Box<dyn Workload>
where
    I: 'static,
    O: 'static,
    F: FnMut(&mut I) -> O + 'static,
    C: Fn(&I, O) -> Result<(), String> + 'static,
{
    Box::new(Case {
        id: id.into(),
        about: about.into(),
        throughput,
        input,
        op,
        check,
        _output: std::marker::PhantomData,
    })
}

impl<I, O, F, C> Workload for Case<I, O, F, C>
where
    F: FnMut(&mut I) -> O,
    C: Fn(&I, O) -> Result<(), String>,
{
    fn id(&self) -> &str {
        &self.id
    }

    fn about(&self) -> &str {
        &self.about
    }

    fn throughput(&self) -> Throughput {
        self.throughput
    }

    #[inline]
    fn run(&mut self) {
        black_box((self.op)(black_box(&mut self.input)));
    }

    fn verify(&mut self) -> Result<(), Error> {
        let output = (self.op)(&mut self.input);
        (self.check)(&self.input, output).map_err(|problem| Error::verify(&self.id, problem))
    }
}

/// `Ok` when `actual == expected`, otherwise a message naming `what`.
pub fn expect_eq<T: PartialEq + std::fmt::Debug>(what: &str, actual: T, expected: T) -> Result<(), String> {
    if actual == expected {
        Ok(())
    } else {
        Err(format!("{what} is {actual:?}, expected {expected:?}"))
    }
}
