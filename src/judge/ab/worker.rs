//! The worker end of the paired A/B protocol: a long-lived process that
//! prepares its workloads once and then times whatever chunk it is asked
//! for with [`Workload::time`], the suite's one timing loop.
//!
//! One request per line on standard input, one reply per line on standard
//! output (`error <sentence>` when a request fails):
//!
//! | request | reply |
//! |---|---|
//! | `hello` | `ethbench-ab <PROTOCOL> allocator=<name> keccak=<name> plant=<yes\|no>` |
//! | `pad <bytes>` | `ok`: a heap allocation of that size, kept, so later ones land elsewhere; chunks are also timed `bytes / 16 % 256` frames deeper in the stack |
//! | `load <id prefix or ->` | `workload <index> <id> <once ns> <throughput>` per workload, then `loaded <n>` |
//! | `time <index> <iters>` | the nanoseconds the `iters` runs took |
//! | `plant <index> <plant>` | `ok` (only in a build with feature `plant`) |
//! | `quit` | (none; the worker exits) |
//!
//! Every workload is verified when it is loaded: a wrong result is an
//! `error`, and nothing is timed.
//!
//! The worker loads on any core, and the driver then keeps its threads on
//! the one timing core, all but rayon's: those run on every CPU listed in
//! `CPUS_ENV`, so a parallel workload is timed with the cores a client
//! would give it.

use std::io::{BufRead, Write};

use super::plant::Plant;
use crate::data::Fixtures;
use crate::measure::error::Error;
use crate::measure::workload::{Select, Throughput, Workload};

/// Bumped whenever a request or reply changes meaning.
pub const PROTOCOL: u32 = 1;

/// The CPUs rayon's threads may use, comma-separated (set by the driver).
pub(crate) const CPUS_ENV: &str = "ETHBENCH_AB_CPUS";

/// How rayon's threads in a worker are named, so that the driver can tell
/// them from the threads it keeps on the timing core.
pub(crate) const RAYON_THREAD_PREFIX: &str = "rayon-";

/// Keep thread `tid` (0: the calling thread) on `cpus` alone.
pub(crate) fn set_affinity(tid: libc::pid_t, cpus: &[usize]) -> std::io::Result<()> {
    // SAFETY: sched_setaffinity(2) reads only the set on this stack.
    let rc = unsafe {
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        for &c in cpus {
            libc::CPU_SET(c, &mut set);
        }
        libc::sched_setaffinity(tid, std::mem::size_of::<libc::cpu_set_t>(), &set)
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

/// Rayon's global pool: one thread per CPU in [`CPUS_ENV`], each allowed
/// on all of them. Without the variable, rayon's defaults (threads that
/// inherit the worker's affinity, and that the driver would pin with the rest).
fn rayon_on_every_core() {
    let Some(cpus) = std::env::var(CPUS_ENV).ok() else { return };
    let cpus: Vec<usize> = cpus.split(',').filter_map(|c| c.trim().parse().ok()).collect();
    if cpus.is_empty() {
        return;
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(cpus.len())
        .thread_name(|i| format!("{RAYON_THREAD_PREFIX}{i}"))
        .start_handler(move |_| {
            let _ = set_affinity(0, &cpus);
        });
    // Already built (a second `serve` in one process): keep the first.
    let _ = pool.build_global();
}

/// Serve requests until `quit` or the end of input.
pub fn serve(input: impl BufRead, mut output: impl Write) -> std::io::Result<()> {
    rayon_on_every_core();
    let mut loaded: Vec<(Box<dyn Workload>, Plant)> = Vec::new();
    let mut padding = Vec::new();
    let mut stack_depth = 0;
    for line in input.lines() {
        let line = line?;
        let mut words = line.split_whitespace();
        let reply = match (words.next(), words.next(), words.next()) {
            (Some("hello"), None, None) => Ok(format!(
                "ethbench-ab {PROTOCOL} allocator={} keccak={} plant={} rayon_threads={}",
                crate::measure::alloc::ACTIVE.replace(' ', "_"),
                crate::measure::keccak_backend::ACTIVE,
                if Plant::AVAILABLE { "yes" } else { "no" },
                rayon::current_num_threads()
            )),
            (Some("load"), Some(prefix), None) => load(prefix).map(|workloads| {
                let mut lines = String::new();
                for (i, (w, once)) in workloads.iter().enumerate() {
                    let throughput = encode_throughput(w.throughput());
                    lines.push_str(&format!("workload {i} {} {once} {throughput}\n", w.id()));
                }
                lines.push_str(&format!("loaded {}", workloads.len()));
                loaded = workloads.into_iter().map(|(w, _)| (w, Plant::None)).collect();
                lines
            }),
            (Some("time"), Some(index), Some(iters)) => parse_index(index, loaded.len()).and_then(|i| {
                let iters: u64 = iters.parse().map_err(|_| format!("`{iters}` is not a number of runs"))?;
                let (w, plant) = &mut loaded[i];
                let elapsed =
                    at_depth(stack_depth, &mut || plant.time(w.as_mut(), iters)).map_err(|e| e.to_string())?;
                Ok(elapsed.as_nanos().to_string())
            }),
            (Some("plant"), Some(index), Some(spec)) => parse_index(index, loaded.len()).and_then(|i| {
                loaded[i].1 = Plant::parse(spec)?.with_phase(stack_depth as u64);
                Ok("ok".to_owned())
            }),
            (Some("pad"), Some(bytes), None) => match bytes.parse::<usize>() {
                // Kept for the life of the process: it shifts every later allocation.
                Ok(n) => {
                    padding.push(vec![1u8; n]);
                    stack_depth = n / 16 % 256;
                    Ok("ok".to_owned())
                }
                Err(_) => Err(format!("`{bytes}` is not a number of bytes")),
            },
            (Some("quit"), None, None) => return Ok(()),
            _ => Err(format!("unknown request `{line}`")),
        };
        match reply {
            Ok(text) => writeln!(output, "{text}")?,
            Err(problem) => writeln!(output, "error {}", problem.replace('\n', " "))?,
        }
        output.flush()?;
    }
    Ok(())
}

/// Run `f` `depth` frames deeper in the stack. With address-space
/// randomisation off, a process's stack sits at the same address in every
/// run, and two builds whose call paths differ by a frame run every
/// workload at stack addresses a constant distance apart: that alone moved
/// the CALL programs by 3–17% here. A random depth per round (drawn with
/// the heap pad) turns that into spread between rounds.
#[inline(never)]
fn at_depth<R>(depth: usize, f: &mut dyn FnMut() -> R) -> R {
    let frame = [0u8; 16];
    let result = if depth == 0 { f() } else { at_depth(depth - 1, f) };
    // Used after the call, so the call cannot become a jump that reuses this frame.
    std::hint::black_box(&frame);
    result
}

fn parse_index(word: &str, len: usize) -> Result<usize, String> {
    word.parse::<usize>().ok().filter(|i| *i < len).ok_or_else(|| format!("no loaded workload #{word}"))
}

/// A verified workload and how long its verified run took, ns.
type Prepared = (Box<dyn Workload>, u128);

/// Every workload under `prefix` (`-`: all), verified, each with how long its verified run took.
fn load(prefix: &str) -> Result<Vec<Prepared>, String> {
    let select = if prefix == "-" { Select::ALL } else { Select::prefix(prefix) };
    let fx = Fixtures::open_default().map_err(|e| e.to_string())?;
    let mut workloads = Vec::new();
    for (_, build) in crate::groups::GROUPS {
        workloads.extend(build(&fx, select).map_err(|e: Error| e.to_string())?);
    }
    if workloads.is_empty() {
        return Err(format!("no workload id starts with `{prefix}`"));
    }
    let once = crate::measure::workload::verify_all(&mut workloads).map_err(|e| e.to_string())?;
    Ok(workloads.into_iter().zip(once.iter().map(|d| d.as_nanos())).collect())
}

/// `b:BYTES`, `e:ELEMENTS`, `eb:ELEMENTS:BYTES`: what one run processes, so
/// the driver can tell when the two sides no longer do the same work.
pub(crate) fn encode_throughput(t: Throughput) -> String {
    match t {
        Throughput::Bytes(n) => format!("b:{n}"),
        Throughput::Elements(n) => format!("e:{n}"),
        Throughput::ElementsAndBytes { elements, bytes } => format!("eb:{elements}:{bytes}"),
        Throughput::Gas(n) => format!("g:{n}"),
    }
}

pub fn decode_throughput(s: &str) -> Option<Throughput> {
    let parts: Vec<&str> = s.split(':').collect();
    match parts.as_slice() {
        ["b", n] => n.parse().ok().map(Throughput::Bytes),
        ["e", n] => n.parse().ok().map(Throughput::Elements),
        ["g", n] => n.parse().ok().map(Throughput::Gas),
        ["eb", e, b] => Some(Throughput::ElementsAndBytes { elements: e.parse().ok()?, bytes: b.parse().ok()? }),
        _ => None,
    }
}
