//! The driver end of a paired A/B run: one worker process per side, both
//! alive for the whole run, asked in turn to time short chunks of the same
//! workload, so both sides share every window of machine noise.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha20Rng;

use super::worker::{decode_throughput, PROTOCOL};
use crate::groups::scale::store;
use crate::judge::compare::decide::is_open;
use crate::judge::compare::decide::Statistic;
use crate::judge::compare::{judge, paired_ratio, Comparison, Rule, Verdict};
use crate::measure::error::Error;
use crate::measure::workload::Throughput;

/// How a paired run spends its time.
#[derive(Debug, Clone)]
pub struct Options {
    /// Only workloads whose id starts with this.
    pub filter: Option<String>,
    /// Only these ids, exactly: a shard's share, from the shard module.
    pub only: Option<Vec<String>>,
    /// The verdict's rule; its confidence is what a change must clear.
    pub rule: Rule,
    /// Confidence of the interval that settles a benchmark as unchanged
    /// early, when it lies wholly inside the floor (see [`is_open`]).
    pub settle: f64,
    /// Timed length of one chunk. Short enough that a pair of chunks sits
    /// inside one window of machine noise, long enough to hide the clock.
    pub chunk: Duration,
    /// Pairs of chunks per benchmark in each round.
    pub pairs_per_round: usize,
    /// Rounds (each in a fresh pair of processes) before a verdict is first looked at.
    pub min_rounds: usize,
    /// Most rounds; a benchmark whose verdict is still open after them is reported unchanged.
    pub max_rounds: usize,
    /// Measurement budget for the whole run; passes stop when it is spent.
    pub budget: Duration,
    /// Planted changes on the head side: (id prefix, plant), see [`super::plant`].
    pub plants: Vec<(String, String)>,
    pub seed: u64,
    /// Show how far the run is and how long it has left, on stderr.
    pub progress: bool,
    /// Time nothing: only greet both sides, for a run that judges
    /// instruction counts alone (a pull request's counting job).
    pub counts_only: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            filter: None,
            only: None,
            rule: Rule { floor: 0.02, confidence: 0.99, resamples: 2000, ..Rule::default() },
            settle: 0.95,
            chunk: Duration::from_millis(20),
            pairs_per_round: 4,
            min_rounds: 8,
            max_rounds: 24,
            budget: Duration::from_secs(15 * 60),
            plants: Vec::new(),
            seed: 0x6162,
            progress: false,
            counts_only: false,
        }
    }
}

/// One side of the run: a worker binary and what it said about itself.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SideInfo {
    pub label: String,
    pub binary: PathBuf,
    pub hello: String,
}

/// What a paired run found.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Outcome {
    pub comparisons: Vec<Comparison>,
    /// The plant applied to each planted benchmark's head side.
    pub plants: BTreeMap<String, String>,
    pub sides: [SideInfo; 2],
    /// Every pair measured: benchmark id → rounds → (base, head) mean ns per run, in order.
    pub samples: BTreeMap<String, Vec<Vec<(f64, f64)>>>,
    /// Seconds spent measuring (after both sides loaded).
    pub measured_secs: f64,
    /// Seconds each benchmark spent measuring: what shards are balanced by.
    pub bench_secs: BTreeMap<String, f64>,
    pub load_secs: f64,
    /// The stopping rule: the round of the first look, and the confidence that settles "no change".
    pub min_rounds: usize,
    pub settle: f64,
    pub machine: crate::measure::machine::Machine,
}

struct Worker {
    label: String,
    child: Child,
    to: ChildStdin,
    from: BufReader<ChildStdout>,
}

/// The CPUs this process may run on.
fn allowed_cpus() -> Vec<usize> {
    // SAFETY: sched_getaffinity(2) writes only the set on this stack.
    unsafe {
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        if libc::sched_getaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &mut set) != 0 {
            return Vec::new();
        }
        (0..libc::CPU_SETSIZE as usize).filter(|&c| libc::CPU_ISSET(c, &set)).collect()
    }
}

impl Worker {
    /// Start `binary`'s worker from `copy`, a fresh copy of it (see
    /// [`start_round`]), with its side's states at scale under `scale`.
    fn start(label: &str, binary: &Path, copy: &Path, scale: &Path) -> Result<Self, Error> {
        std::fs::copy(binary, copy).map_err(|e| {
            worker_error(label, format!("cannot copy {} to {} ({e})", binary.display(), copy.display()))
        })?;
        let mut command = Command::new(copy);
        command.arg("worker").stdin(Stdio::piped()).stdout(Stdio::piped());
        // Each side builds its own states at scale, once a run, and each
        // worker reads and writes a private copy of them (see [`scale_states`]).
        command.env(store::DIR_ENV, scale.join(label)).env(store::PRIVATE_COPY_ENV, "1");
        if let Some(fixtures) = fixtures_beside(binary) {
            command.env(crate::data::DIR_ENV, fixtures);
        }
        // Without address-space randomisation, a build's heap and stack land
        // at the same addresses in every run, so the same code gives the
        // same memory layout on both sides. With it, each process draws its
        // own alignments, and that alone moved an A/A by up to 30% here.
        //
        // A rayon workload's threads may use every core this process may
        // (the worker reads them from `CPUS_ENV`): the sides alternate, so
        // its chunk has them to itself. The worker's other threads are put
        // on the timing core once it has loaded ([`Worker::pin`]).
        command.env(super::worker::CPUS_ENV, allowed_cpus().iter().map(usize::to_string).collect::<Vec<_>>().join(","));
        // SAFETY: personality(2) is async-signal-safe and touches no memory of ours.
        unsafe {
            command.pre_exec(|| {
                libc::personality(libc::ADDR_NO_RANDOMIZE as libc::c_ulong);
                Ok(())
            });
        }
        let mut child =
            command.spawn().map_err(|e| worker_error(label, format!("cannot start {}: {e}", binary.display())))?;
        let to = child.stdin.take().expect("stdin is piped");
        let from = BufReader::new(child.stdout.take().expect("stdout is piped"));
        Ok(Self { label: label.to_owned(), child, to, from })
    }

    /// Keep every thread of the worker on `cpu` alone, except rayon's. Not
    /// only the thread that times: MDBX hands each write transaction's
    /// begin and commit to a thread of its own (one per environment, started
    /// while loading), and when that thread sat on the other core, every
    /// commit waited for a wake-up across cores. A hundred commits then took
    /// 6–12 ms on one side of a round and 3.4 ms on the other.
    fn pin(&self, cpu: usize) -> Result<(), Error> {
        let tasks = PathBuf::from(format!("/proc/{}/task", self.child.id()));
        let entries = std::fs::read_dir(&tasks)
            .map_err(|e| worker_error(&self.label, format!("cannot list its threads in {} ({e})", tasks.display())))?;
        for entry in entries.flatten() {
            let name = std::fs::read_to_string(entry.path().join("comm")).unwrap_or_default();
            let Some(tid) = entry.file_name().to_str().and_then(|t| t.parse::<libc::pid_t>().ok()) else { continue };
            if name.starts_with(super::worker::RAYON_THREAD_PREFIX) {
                continue;
            }
            if let Err(error) = super::worker::set_affinity(tid, &[cpu]) {
                // A thread that ended since the listing is no longer there to pin.
                if error.raw_os_error() != Some(libc::ESRCH) {
                    return Err(worker_error(&self.label, format!("cannot be kept on CPU {cpu} ({error})")));
                }
            }
        }
        Ok(())
    }

    /// The worker's hello, once it is known to speak this protocol.
    fn greet(&mut self, binary: &Path) -> Result<String, Error> {
        let hello = self.request("hello").map_err(|_| {
            let problem = format!(
                "`{}` is not an ethbench binary: it did not answer the worker's hello (build one with `cargo build --release`)",
                binary.display()
            );
            worker_error(&self.label, problem)
        })?;
        if !hello.starts_with(&format!("ethbench-ab {PROTOCOL} ")) {
            return Err(worker_error(&self.label, format!("speaks `{hello}`, not protocol {PROTOCOL}")));
        }
        Ok(hello)
    }

    fn send(&mut self, request: &str) -> Result<(), Error> {
        writeln!(self.to, "{request}")
            .and_then(|()| self.to.flush())
            .map_err(|e| worker_error(&self.label, format!("stopped answering ({e})")))
    }

    fn reply(&mut self) -> Result<String, Error> {
        let mut line = String::new();
        match self.from.read_line(&mut line) {
            Ok(0) | Err(_) => Err(worker_error(&self.label, "exited mid-run (see its message above)".to_owned())),
            Ok(_) => match line.trim_end().strip_prefix("error ") {
                Some(problem) => Err(worker_error(&self.label, problem.to_owned())),
                None => Ok(line.trim_end().to_owned()),
            },
        }
    }

    fn request(&mut self, request: &str) -> Result<String, Error> {
        self.send(request)?;
        self.reply()
    }

    /// Mean ns per run of `iters` runs of workload `index`.
    fn time(&mut self, index: usize, iters: u64) -> Result<f64, Error> {
        let reply = self.request(&format!("time {index} {iters}"))?;
        let ns: f64 = reply.parse().map_err(|_| worker_error(&self.label, format!("answered `{reply}` to time")))?;
        Ok(ns / iters as f64)
    }

    /// The worker's workloads: id → (index, once ns, throughput).
    fn loaded(&mut self) -> Result<BTreeMap<String, Loaded>, Error> {
        let mut out = BTreeMap::new();
        loop {
            let line = self.reply()?;
            let words: Vec<&str> = line.split_whitespace().collect();
            match words.as_slice() {
                ["workload", index, id, once, throughput] => {
                    let bad = || worker_error(&self.label, format!("sent a malformed line `{line}`"));
                    let w = Loaded {
                        index: index.parse().map_err(|_| bad())?,
                        once_ns: once.parse().map_err(|_| bad())?,
                        throughput: decode_throughput(throughput).ok_or_else(bad)?,
                    };
                    out.insert((*id).to_owned(), w);
                }
                ["loaded", _] => return Ok(out),
                _ => return Err(worker_error(&self.label, format!("sent `{line}` while loading"))),
            }
        }
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        // Dropping its workloads removes the worker's temporary databases: ask it to quit, then wait.
        let _ = self.send("quit");
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A side built by ci/build-side.sh carries its own fixtures beside it.
pub(crate) fn fixtures_beside(binary: &Path) -> Option<PathBuf> {
    binary.parent().map(|dir| dir.join("fixtures")).filter(|d| d.is_dir())
}

fn worker_error(side: &str, problem: String) -> Error {
    Error::Worker { side: side.to_owned(), problem }
}

#[derive(Debug, Clone, Copy)]
struct Loaded {
    index: usize,
    once_ns: f64,
    throughput: Throughput,
}

/// One benchmark being measured on both sides.
struct Bench {
    id: String,
    once_ns: f64,
    /// Pairs of (base, head) mean ns per run, one list per round.
    rounds: Vec<Vec<(f64, f64)>>,
    open: bool,
    /// Seconds spent sizing and timing its chunks, every round.
    secs: f64,
}

/// A pair of fresh worker processes with the same workloads loaded.
struct Round {
    workers: [Worker; 2],
    /// Benchmark id → (base index, head index).
    index: BTreeMap<String, (usize, usize)>,
    /// What each side said to `hello`, and what it loaded.
    hellos: [String; 2],
    loaded: [BTreeMap<String, Loaded>; 2],
    /// The round's copies of the two binaries, removed after the workers.
    _copies: tempfile::TempDir,
}

/// The states at scale of one paired run. Each side builds its own here at
/// its first load, and every worker opens private copies of them
/// (`store::PRIVATE_COPY_ENV`). They are built afresh for each run, so both
/// sides start from one page layout whatever earlier runs left, and removed
/// when the run ends, also when it fails.
fn scale_states() -> Result<tempfile::TempDir, Error> {
    let root = store::root_dir();
    std::fs::create_dir_all(&root)
        .and_then(|()| tempfile::Builder::new().prefix("ab-").tempdir_in(&root))
        .map_err(|e| Error::Output { path: root, problem: format!("cannot make the run's states at scale here ({e})") })
}

/// Start both workers, shift their heaps by a random amount, load the
/// workloads on both at once, and put both on the timing core: the ids in
/// `only` (sorted), else those the options name.
fn start_round(
    base: &Path,
    head: &Path,
    options: &Options,
    only: Option<&[String]>,
    number: usize,
    rng: &mut ChaCha20Rng,
    scale: &Path,
) -> Result<Round, Error> {
    // Which side starts and loads first alternates, so neither is always the elder process.
    let order = if number.is_multiple_of(2) { [0, 1] } else { [1, 0] };
    let binaries = [("base", base), ("head", head)];
    // Each round runs fresh copies of the two binaries. A file's code sits in
    // the page cache at physical addresses of its own, which decide how it
    // maps onto the caches; two copies of one binary differed by 7–13% on a
    // few workloads for a whole A/A run here. New copies each round make that
    // a spread between rounds instead of a constant offset between sides.
    let copies = binary_copies()?;
    let mut started: [Option<Worker>; 2] = [None, None];
    for side in order {
        let (label, binary) = binaries[side];
        started[side] = Some(Worker::start(label, binary, &copies.path().join(label), scale)?);
    }
    let mut workers = started.map(|w| w.expect("both sides started"));
    let mut hellos = [String::new(), String::new()];
    let only = only.or(options.only.as_deref());
    let filter = match only {
        Some(ids) => ids.join(","),
        None => options.filter.clone().unwrap_or_else(|| "-".to_owned()),
    };
    // A fresh draw of memory layout each round, so that layout luck shows as
    // spread between rounds instead of as a change. Both sides get the same
    // draw, so identical code starts from identical heap and stack addresses:
    // that cut the per-round spread threefold with one group loaded, though
    // not over the whole suite (docs/comparing.md says why).
    let pad = rng.random_range(0..4096u64) * 16;
    for side in order {
        let w = &mut workers[side];
        let binary = binaries[side].1;
        hellos[side] = w.greet(binary)?;
        w.request(&format!("pad {pad}"))?;
        w.send(&format!("load {filter}"))?;
    }
    let mut loaded = [BTreeMap::new(), BTreeMap::new()];
    for side in order {
        loaded[side] = workers[side].loaded()?;
        // A shard's ids load as prefixes; an id that only starts with one is another shard's.
        if let Some(ids) = only {
            loaded[side].retain(|id, _| ids.binary_search(id).is_ok());
        }
    }
    // Both load at once, each on whichever core is free, which halves the
    // wait on two cores. They are timed on one core, the last this process
    // may use: the two sides then never differ by which core (or which
    // neighbour on a virtual machine's host) they ran on, and the other
    // core is left to the rest of the machine.
    if let Some(&timing_cpu) = allowed_cpus().last() {
        for worker in &workers {
            worker.pin(timing_cpu)?;
        }
    }
    for (id, h) in &loaded[1] {
        if let Some(plant) = plant_for(options, id) {
            workers[1].request(&format!("plant {} {plant}", h.index))?;
        }
    }
    let index =
        loaded[0].iter().filter_map(|(id, b)| loaded[1].get(id).map(|h| (id.clone(), (b.index, h.index)))).collect();
    Ok(Round { workers, index, hellos, loaded, _copies: copies })
}

/// Where a round's copies of the two binaries go (see [`start_round`]).
fn binary_copies() -> Result<tempfile::TempDir, Error> {
    tempfile::Builder::new()
        .prefix("ethbench-ab-")
        .tempdir()
        .map_err(|e| worker_error("base", format!("cannot make a directory for its copy ({e})")))
}

/// Both sides greeted and nothing timed: the outcome of a run that judges instruction counts alone.
fn greeted(base: &Path, head: &Path, options: &Options, scale: &Path) -> Result<Outcome, Error> {
    let copies = binary_copies()?;
    let mut sides = Vec::new();
    for (label, binary) in [("base", base), ("head", head)] {
        let hello = Worker::start(label, binary, &copies.path().join(label), scale)?.greet(binary)?;
        sides.push(SideInfo { label: label.to_owned(), binary: binary.to_owned(), hello });
    }
    Ok(Outcome {
        comparisons: Vec::new(),
        plants: BTreeMap::new(),
        sides: sides.try_into().expect("two sides"),
        samples: BTreeMap::new(),
        measured_secs: 0.0,
        bench_secs: BTreeMap::new(),
        load_secs: 0.0,
        min_rounds: options.min_rounds,
        settle: options.settle,
        machine: crate::measure::machine::Machine::current(),
    })
}

/// The plant of the longest prefix that `id` starts with.
fn plant_for<'a>(options: &'a Options, id: &str) -> Option<&'a str> {
    crate::measure::id::longest_prefix(options.plants.iter().map(|(p, plant)| (p.as_str(), plant.as_str())), id)
}

/// Run the paired comparison of two worker binaries.
pub fn run(base: &Path, head: &Path, options: &Options) -> Result<Outcome, Error> {
    let scale = scale_states()?;
    if options.counts_only {
        return greeted(base, head, options, scale.path());
    }
    let mut rng = ChaCha20Rng::seed_from_u64(options.seed);
    let load_started = Instant::now();
    let first = start_round(base, head, options, None, 0, &mut rng, scale.path())?;
    let (hellos, loaded) = (first.hellos.clone(), first.loaded.clone());
    let first_load = load_started.elapsed().as_secs_f64();
    let mut reload_secs = 0.0;

    let mut comparisons = Vec::new();
    let mut benches = Vec::new();
    let ids: std::collections::BTreeSet<&String> = loaded[0].keys().chain(loaded[1].keys()).collect();
    for id in ids {
        let blank = |verdict| Comparison {
            id: id.clone(),
            verdict,
            base_ns: None,
            new_ns: None,
            ratio: None,
            low: None,
            high: None,
            floor: options.rule.floor_for(id),
            pairs: None,
            statistic: None,
        };
        match (loaded[0].get(id), loaded[1].get(id)) {
            (None, _) => comparisons.push(blank(Verdict::New)),
            (_, None) => comparisons.push(blank(Verdict::Missing)),
            (Some(b), Some(h)) if !b.throughput.same_work(h.throughput) => {
                comparisons.push(blank(Verdict::Incomparable))
            }
            (Some(b), Some(h)) => benches.push(Bench {
                id: id.clone(),
                once_ns: b.once_ns.min(h.once_ns),
                rounds: Vec::new(),
                open: true,
                secs: 0.0,
            }),
        }
    }
    let plants: BTreeMap<String, String> =
        benches.iter().filter_map(|b| Some((b.id.clone(), plant_for(options, &b.id)?.to_owned()))).collect();

    // Round after round, each in fresh processes, every benchmark whose
    // verdict is still open gets `pairs_per_round` more pairs, until none is
    // open, each has had its most rounds, or the budget is spent.
    let settle_rule = Rule { confidence: options.settle, ..options.rule.clone() };
    let started = Instant::now();
    let mut progress = options
        .progress
        .then(|| crate::measure::progress::Progress::new(format!("paired A/B of {} benchmarks", benches.len()), 1000));
    let mut done_units = 0u64;
    let mut round = Some(first);
    for number in 0..options.max_rounds {
        let mut current = match round.take() {
            Some(r) => r,
            None => {
                // Preparing is over 40% of a shard's time, so a round loads
                // only the benchmarks still open (every one before the first look).
                let open: Vec<String> = benches.iter().filter(|b| b.open).map(|b| b.id.clone()).collect();
                let t = Instant::now();
                let r = start_round(base, head, options, Some(&open), number, &mut rng, scale.path())?;
                reload_secs += t.elapsed().as_secs_f64();
                r
            }
        };
        let open = benches.iter().filter(|b| b.open).count();
        for (i, bench) in benches.iter_mut().filter(|b| b.open).enumerate() {
            if let Some(p) = progress.as_mut() {
                // Done so far against what is left at most: this round's
                // rest and every later round for every open benchmark; or
                // the budget's share, when that says more.
                done_units += 1;
                let left = (open - i - 1) + open * (options.max_rounds - number - 1);
                let by_work = done_units as f64 / (done_units + left as u64) as f64;
                let by_time = started.elapsed().as_secs_f64() / options.budget.as_secs_f64();
                p.set((1000.0 * by_work.max(by_time).min(1.0)) as u64, 1000);
            }
            let Some(&(b, h)) = current.index.get(&bench.id) else { continue };
            let timed = Instant::now();
            let (iters, warm) = size(bench.once_ns, [b, h], &mut current.workers, options.chunk, &mut rng)?;
            let mut pairs = Vec::with_capacity(options.pairs_per_round);
            for _ in 0..options.pairs_per_round {
                pairs.push(pair([b, h], iters, warm, &mut current.workers, &mut rng)?);
            }
            bench.rounds.push(pairs);
            bench.secs += timed.elapsed().as_secs_f64();
            if number + 1 >= options.min_rounds {
                let (_, low, high) = paired_ratio(&bench.rounds, &options.rule, &mut rng);
                let (_, settle_low, settle_high) = paired_ratio(&bench.rounds, &settle_rule, &mut rng);
                bench.open = is_open((low, high), (settle_low, settle_high), options.rule.floor_for(&bench.id));
            }
        }
        drop(current);
        if started.elapsed() > options.budget || !benches.iter().any(|b| b.open) {
            break;
        }
    }
    if let Some(p) = progress.as_mut() {
        p.finish();
    }
    let measured_secs = started.elapsed().as_secs_f64() - reload_secs;
    let load_secs = first_load + reload_secs;

    for bench in &benches {
        let floor = options.rule.floor_for(&bench.id);
        let (ratio, low, high) = paired_ratio(&bench.rounds, &options.rule, &mut rng);
        let all: Vec<(f64, f64)> = bench.rounds.iter().flatten().copied().collect();
        let mean = |side: fn(&(f64, f64)) -> f64| all.iter().map(side).sum::<f64>() / all.len() as f64;
        comparisons.push(Comparison {
            id: bench.id.clone(),
            verdict: judge(low, high, floor),
            base_ns: Some(mean(|p| p.0)),
            new_ns: Some(mean(|p| p.1)),
            ratio: Some(ratio),
            low: Some(low),
            high: Some(high),
            floor,
            pairs: Some(all.len()),
            statistic: Some(Statistic::of_paired_rounds(bench.rounds.iter().filter(|r| !r.is_empty()).count())),
        });
    }
    comparisons.sort_by(|a, b| a.id.cmp(&b.id));
    let samples = benches.iter().map(|b| (b.id.clone(), b.rounds.clone())).collect();
    let bench_secs = benches.iter().map(|b| (b.id.clone(), b.secs)).collect();
    let side = |label: &str, binary: &Path, hello: &String| SideInfo {
        label: label.to_owned(),
        binary: binary.to_owned(),
        hello: hello.clone(),
    };
    Ok(Outcome {
        comparisons,
        plants,
        samples,
        sides: [side("base", base, &hellos[0]), side("head", head, &hellos[1])],
        measured_secs,
        bench_secs,
        load_secs,
        min_rounds: options.min_rounds,
        settle: options.settle,
        machine: crate::measure::machine::Machine::current(),
    })
}

/// Choose the runs per chunk: a probe on each side (which also warms it),
/// then enough runs to fill a chunk, and a short untimed warm-up before each
/// chunk unless one run is itself longer than half a chunk.
fn size(
    once_ns: f64,
    index: [usize; 2],
    workers: &mut [Worker; 2],
    chunk: Duration,
    rng: &mut ChaCha20Rng,
) -> Result<(u64, u64), Error> {
    let chunk_ns = chunk.as_nanos() as f64;
    let guess = (chunk_ns / 4.0 / once_ns.max(1.0)).clamp(1.0, 1e9) as u64;
    // The side probed last has the shared core's caches when the first pair
    // starts. With the base always probed first it was always the head: the
    // one fixed asymmetry between the sides found when a warm read of the
    // state at scale (`scale/evm/balance/1e4`) read about 1% faster on the
    // head in every A/A here.
    let mut probe = [0.0; 2];
    for side in either_order(rng) {
        probe[side] = workers[side].time(index[side], guess)?;
    }
    let per_run = probe[0].min(probe[1]).max(0.1);
    let iters = (chunk_ns / per_run).clamp(1.0, 1e9) as u64;
    let warm = if per_run * 2.0 > chunk_ns { 0 } else { (iters / 8).max(1) };
    Ok((iters, warm))
}

/// The two sides, base (0) and head (1), in an order drawn at random.
fn either_order(rng: &mut ChaCha20Rng) -> [usize; 2] {
    if rng.random::<bool>() {
        [0, 1]
    } else {
        [1, 0]
    }
}

/// One pair: both sides, in random order, each warmed then timed.
fn pair(
    index: [usize; 2],
    iters: u64,
    warm: u64,
    workers: &mut [Worker; 2],
    rng: &mut ChaCha20Rng,
) -> Result<(f64, f64), Error> {
    let mut ns = [0.0; 2];
    for side in either_order(rng) {
        if warm > 0 {
            workers[side].time(index[side], warm)?;
        }
        ns[side] = workers[side].time(index[side], iters)?;
    }
    Ok((ns[0], ns[1]))
}
