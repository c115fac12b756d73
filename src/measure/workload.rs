//! The unit every runner shares: prepared input, one timed operation, and a
//! check of that operation's result.

use std::hint::black_box;
use std::time::{Duration, Instant};

use crate::measure::error::Error;

/// Which workloads a builder prepares: all of them, or those whose id
/// starts with a prefix. Preparing an input can be costly (a 1M-row table, a
/// 100k-account trie), and a runner that needs one workload should not pay
/// for the others.
#[derive(Debug, Clone, Copy, Default)]
pub struct Select<'a>(Option<&'a str>);

impl<'a> Select<'a> {
    pub const ALL: Select<'static> = Select(None);

    pub fn prefix(prefix: &'a str) -> Self {
        Select(Some(prefix))
    }

    /// The prefixes: one, or several separated by commas (`trie/keccak,evm/op/keccak256`).
    fn prefixes(&self) -> impl Iterator<Item = &'a str> {
        self.0.into_iter().flat_map(|p| p.split(','))
    }

    pub fn wants(&self, id: &str) -> bool {
        self.0.is_none() || self.prefixes().any(|p| id.starts_with(p))
    }

    /// Whether some id under `section` (an id prefix) may be wanted.
    pub fn wants_any(&self, section: &str) -> bool {
        self.0.is_none() || self.prefixes().any(|p| p.starts_with(section) || section.starts_with(p))
    }

    /// Whether some prefix contains `text`: a tier named in an id (`/1e7`).
    pub fn names(&self, text: &str) -> bool {
        self.prefixes().any(|p| p.contains(text))
    }

    /// Keep the wanted workloads of a builder's output.
    pub fn keep(&self, mut workloads: Vec<Box<dyn Workload>>) -> Vec<Box<dyn Workload>> {
        workloads.retain(|w| self.wants(w.id()));
        workloads
    }
}

/// What one run of a workload processes, for bytes/s and elements/s figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Throughput {
    Bytes(u64),
    Elements(u64),
    ElementsAndBytes {
        elements: u64,
        bytes: u64,
    },
    /// Gas one run uses: printed as MGas/s; Criterion records it as elements.
    Gas(u64),
}

impl Throughput {
    /// Whether two runs did the same work. Gas counts as elements, as
    /// Criterion records it and as builds before 2026-11-27 reported it.
    pub(crate) fn same_work(self, other: Throughput) -> bool {
        let normal = |t| match t {
            Throughput::Gas(n) => Throughput::Elements(n),
            t => t,
        };
        normal(self) == normal(other)
    }
}

pub trait Workload {
    /// Stable hierarchical id, `group/case/size`, e.g. `rlp/decode/block_200tx`.
    fn id(&self) -> &str;
    /// One line: what is timed, on which input.
    fn about(&self) -> &str;
    fn throughput(&self) -> Throughput;
    /// The one timing loop every runner shares (Criterion, `ethbench run`,
    /// the paired A/B worker): run the operation `iters` times and return the
    /// time it took. The operation is inlined into the loop and the clock is
    /// read once per call, so even a nanosecond operation is measured, not
    /// the harness around it. A workload that changes state is reset before
    /// every run, untimed, and only its runs are summed; a reset that fails
    /// ends the measurement with its error. After the last run it is reset
    /// once more, so state it shares with other workloads (a cached
    /// database) is left as it was found.
    fn time(&mut self, iters: u64) -> Result<Duration, Error>;
    /// The operation exactly once, untimed: what an instruction-count
    /// (callgrind) or allocation count measures. Input and result pass
    /// through `black_box`, so the optimiser can neither precompute nor
    /// delete it.
    fn run(&mut self);
    /// Run the same operation once and check its result against the fixture.
    fn verify(&mut self) -> Result<(), Error>;
    /// Whether [`Workload::reset`] must run, untimed, before every run:
    /// true for workloads that change state, such as database writes.
    fn needs_reset(&self) -> bool {
        false
    }
    /// Put the state back to where a run starts from. Not timed.
    fn reset(&mut self) -> Result<(), Error> {
        Ok(())
    }
    /// Figures beside the time, printed once after benchmarking (on-disk size, …).
    fn notes(&mut self) -> Option<String> {
        None
    }
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
    hooks: Hooks<I>,
    _output: std::marker::PhantomData<fn() -> O>,
}

/// Puts a stateful input back where a run starts; an error ends the measurement.
pub(crate) type Reset<I> = fn(&mut I) -> Result<(), String>;

/// The optional parts of a [`Case`] for workloads that change state.
pub(crate) struct Hooks<I> {
    /// Untimed, before every run.
    pub reset: Option<Reset<I>>,
    /// Figures printed after benchmarking.
    pub notes: Option<fn(&mut I) -> String>,
}

impl<I> Default for Hooks<I> {
    fn default() -> Self {
        Self { reset: None, notes: None }
    }
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
    stateful_case(id, about, throughput, input, Hooks::default(), op, check)
}

/// A [`case`] whose input is state that each run changes, with a reset
/// that restores it before every run.
pub(crate) fn stateful_case<I, O, F, C>(
    id: impl Into<String>,
    about: impl Into<String>,
    throughput: Throughput,
    input: I,
    hooks: Hooks<I>,
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
        hooks,
        _output: std::marker::PhantomData,
    })
}

impl<I, O, F, C> Case<I, O, F, C> {
    fn reset_failed(&self, problem: String) -> Error {
        Error::Prepare {
            workload: self.id.clone(),
            problem: format!("resetting its state before a run failed: {problem}"),
        }
    }
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

    fn time(&mut self, iters: u64) -> Result<Duration, Error> {
        match self.hooks.reset {
            Some(reset) => {
                let mut timed = Duration::ZERO;
                for _ in 0..iters {
                    reset(&mut self.input).map_err(|e| self.reset_failed(e))?;
                    let start = Instant::now();
                    black_box((self.op)(black_box(&mut self.input)));
                    timed += start.elapsed();
                }
                // Leave the state as the first reset found it: other workloads may share it.
                reset(&mut self.input).map_err(|e| self.reset_failed(e))?;
                Ok(timed)
            }
            None => {
                let start = Instant::now();
                for _ in 0..iters {
                    black_box((self.op)(black_box(&mut self.input)));
                }
                Ok(start.elapsed())
            }
        }
    }

    #[inline]
    fn run(&mut self) {
        black_box((self.op)(black_box(&mut self.input)));
    }

    fn verify(&mut self) -> Result<(), Error> {
        self.reset()?;
        let output = (self.op)(&mut self.input);
        let checked = (self.check)(&self.input, output).map_err(|problem| Error::verify(&self.id, problem));
        self.reset()?;
        checked
    }

    fn needs_reset(&self) -> bool {
        self.hooks.reset.is_some()
    }

    fn reset(&mut self) -> Result<(), Error> {
        match self.hooks.reset {
            Some(reset) => reset(&mut self.input).map_err(|e| self.reset_failed(e)),
            None => Ok(()),
        }
    }

    fn notes(&mut self) -> Option<String> {
        self.hooks.notes.map(|notes| notes(&mut self.input))
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

/// The preparation of a [`deferred`] workload.
pub(crate) type Prepare = Box<dyn FnOnce() -> Result<Box<dyn Workload>, Error>>;

/// A workload whose input is built on first use, so that listing,
/// filtering and suggesting names cost nothing: its id and about are known
/// up front, everything else comes from the workload `prepare` builds.
///
/// Every runner verifies before it measures, and `verify` is where a failed
/// preparation surfaces, as an error. The other methods prepare on demand
/// and, should preparing fail there, panic with the same message.
pub(crate) fn deferred(id: impl Into<String>, about: impl Into<String>, prepare: Prepare) -> Box<dyn Workload> {
    Box::new(Deferred {
        id: id.into(),
        about: about.into(),
        prepare: std::cell::Cell::new(Some(prepare)),
        prepared: std::cell::OnceCell::new(),
    })
}

struct Deferred {
    id: String,
    about: String,
    prepare: std::cell::Cell<Option<Prepare>>,
    prepared: std::cell::OnceCell<Result<std::cell::RefCell<Box<dyn Workload>>, String>>,
}

impl Deferred {
    fn prepared(&self) -> Result<std::cell::RefMut<'_, Box<dyn Workload>>, Error> {
        let prepared = self.prepared.get_or_init(|| {
            let prepare = self.prepare.take().expect("prepared once");
            match prepare() {
                Ok(w) if w.id() == self.id => Ok(std::cell::RefCell::new(w)),
                Ok(w) => Err(format!("`{}` prepared a workload named `{}`", self.id, w.id())),
                // Already worded as this workload's preparation failing: keep its words once.
                Err(Error::Prepare { problem, .. }) => Err(problem),
                Err(e) => Err(e.to_string()),
            }
        });
        match prepared {
            Ok(w) => Ok(w.borrow_mut()),
            Err(problem) => Err(Error::Prepare { workload: self.id.clone(), problem: problem.clone() }),
        }
    }

    fn get(&self) -> std::cell::RefMut<'_, Box<dyn Workload>> {
        self.prepared().unwrap_or_else(|e| panic!("{e}"))
    }
}

impl Workload for Deferred {
    fn id(&self) -> &str {
        &self.id
    }

    fn about(&self) -> &str {
        &self.about
    }

    fn throughput(&self) -> Throughput {
        self.get().throughput()
    }

    fn time(&mut self, iters: u64) -> Result<Duration, Error> {
        self.prepared()?.time(iters)
    }

    fn run(&mut self) {
        self.get().run();
    }

    fn verify(&mut self) -> Result<(), Error> {
        self.prepared()?.verify()
    }

    fn needs_reset(&self) -> bool {
        self.get().needs_reset()
    }

    fn reset(&mut self) -> Result<(), Error> {
        self.prepared()?.reset()
    }

    fn notes(&mut self) -> Option<String> {
        self.get().notes()
    }
}

/// A workload whose single run takes longer than this is slow: its first run
/// is checked against a timed one, and Criterion samples it flat, 10 times.
pub(crate) const SLOW: Duration = Duration::from_millis(20);

/// Verify every workload, returning how long each single verified run took.
/// On the first wrong result every workload is dropped (some own temporary
/// databases) and its one-line error returned.
pub fn verify_all(workloads: &mut Vec<Box<dyn Workload>>) -> Result<Vec<Duration>, crate::measure::error::Error> {
    let mut single_run = Vec::with_capacity(workloads.len());
    for w in workloads.iter_mut() {
        let start = Instant::now();
        let mut once = w.verify().map(|()| start.elapsed());
        // A first run can carry one-time setup (revm loads the KZG trusted
        // setup on first use) and look slow: one timed run decides.
        if let Ok(first) = once {
            if first > SLOW {
                once = w.time(1).map(|t| t.min(first));
            }
        }
        match once {
            Ok(once) => single_run.push(once),
            Err(e) => {
                workloads.clear();
                return Err(e);
            }
        }
    }
    Ok(single_run)
}
