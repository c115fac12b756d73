//! Commands that prepare workloads: `list`, `fixtures`, `run` and `bench`,
//! and the lookup of a workload by name.

use std::time::{Duration, Instant};

use ethbench::measure::results::{format_throughput, format_time, read_baseline};
use ethbench::{Fixtures, Workload};

use std::process::ExitCode;

use super::args::{InputArgs, ProfileArgs};
use super::{fail, Ended, Failure};

/// The workloads `id` names: a built-in one, or those on the user's input,
/// printing what the input's first run computed.
pub(crate) fn resolve(id: &str, input: &InputArgs) -> Result<Vec<Box<dyn Workload>>, Failure> {
    use ethbench::groups::inputs::{block, blocktest, bytecode, statetest};
    let fixture_tests = matches!(id, "statetest" | "blocktest");
    if !fixture_tests {
        if let Some(flag) = input.given_for_fixture_tests() {
            return fail(format!(
                "{flag} is for `statetest` or `blocktest` (`ethbench run statetest PATH… [--fork F] [--filter S]`), not `{id}`"
            ));
        }
    } else if let Some(flag) = input.given_for_code_or_block() {
        return fail(format!("{flag} is for evm/bytecode or rlp/block, not {id}"));
    }
    if let Some(fork) = &input.fork {
        ethbench::groups::inputs::check_fork(fork)?;
    }
    let prepared = match id {
        "statetest" => statetest::workloads(&statetest::StateTestInput {
            paths: input.paths.clone(),
            fork: input.fork.clone(),
            filter: input.filter.clone(),
        }),
        "blocktest" => blocktest::workloads(&blocktest::BlockTestInput {
            paths: input.paths.clone(),
            fork: input.fork.clone(),
            filter: input.filter.clone(),
        }),
        "evm/bytecode" => {
            let Some(code) = input.code.clone() else {
                return fail("evm/bytecode needs --code FILE or --code 0x… (runtime bytecode)");
            };
            if input.input.is_some() || input.receipts.is_some() {
                return fail("--input and --receipts are for rlp/block, not evm/bytecode");
            }
            let args = bytecode::BytecodeInput {
                code,
                calldata: input.calldata.clone().unwrap_or_default(),
                gas_limit: input.gas_limit,
                value: input.value,
            };
            bytecode::workload(&args).map(|(w, report)| (vec![w], report))
        }
        "rlp/block" => {
            let Some(path) = input.input.clone() else {
                return fail("rlp/block needs --input FILE (a block as RLP, hex or raw)");
            };
            if input.code.is_some() || input.calldata.is_some() || input.gas_limit.is_some() || input.value.is_some() {
                return fail("--code, --calldata, --gas-limit and --value are for evm/bytecode, not rlp/block");
            }
            block::workloads(&block::BlockInput { input: path, receipts: input.receipts.clone() })
        }
        _ => {
            if let Some(flag) = input.given() {
                return fail(format!(
                    "{flag} is for your own inputs: use it with `evm/bytecode`, `rlp/block`, `statetest` or `blocktest`, not `{id}`"
                ));
            }
            return Ok(vec![find(id)?]);
        }
    };
    let (workloads, report) = prepared?;
    println!("{report}");
    Ok(workloads)
}

pub(crate) fn all_workloads() -> Result<Vec<Box<dyn Workload>>, Failure> {
    let fx = Fixtures::open_default()?;
    Ok(ethbench::all_workloads(&fx)?)
}

pub(crate) fn list(markdown: bool, allocs: bool, json: bool) -> Ended {
    if allocs && !cfg!(feature = "heap") {
        return fail(
            "--allocs needs dhat as the global allocator: run `cargo run --release --features heap -- list --allocs`",
        );
    }
    let mut all = all_workloads()?;
    // Allocations of one run (after a warm-up run), outside any timed loop.
    let figures: Vec<Option<ethbench::measure::heap::HeapFigures>> =
        all.iter_mut().map(|w| heap_figures(w.as_mut(), allocs)).collect::<Result<_, _>>()?;
    let cells = |f: &Option<ethbench::measure::heap::HeapFigures>| {
        f.map_or(String::new(), |f| format!(" {:.0} | {:.0} |", f.allocations_per_op, f.bytes_per_op))
    };
    if json {
        let rows: Vec<serde_json::Value> = all
            .iter()
            .zip(&figures)
            .map(|(w, f)| {
                let mut row = serde_json::json!({ "id": w.id(), "about": w.about(), "throughput": w.throughput() });
                if let Some(f) = f {
                    row["allocations_per_op"] = serde_json::json!(f.allocations_per_op);
                    row["bytes_per_op"] = serde_json::json!(f.bytes_per_op);
                }
                row
            })
            .collect();
        super::print_json(&rows);
    } else if markdown {
        println!("| benchmark | what one iteration does |{}", if allocs { " allocs/op | bytes/op |" } else { "" });
        println!("|---|---|{}", if allocs { "---:|---:|" } else { "" });
        for (w, f) in all.iter().zip(&figures) {
            println!("| `{}` | {} |{}", w.id(), w.about(), cells(f));
        }
    } else {
        let width = all.iter().map(|w| w.id().len()).max().unwrap_or(0);
        for (w, f) in all.iter().zip(&figures) {
            let counts = f.map_or(String::new(), |f| {
                format!("  [{:.0} allocs, {:.0} B per op]", f.allocations_per_op, f.bytes_per_op)
            });
            println!("{:width$}  {}{counts}", w.id(), w.about());
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(feature = "heap")]
pub(crate) fn heap_figures(
    w: &mut dyn Workload,
    wanted: bool,
) -> Result<Option<ethbench::measure::heap::HeapFigures>, Failure> {
    if !wanted {
        return Ok(None);
    }
    let _profiler = dhat::Profiler::builder().testing().build();
    w.verify()?;
    Ok(Some(ethbench::measure::heap::measure(w, 1)?))
}

#[cfg(not(feature = "heap"))]
pub(crate) fn heap_figures(
    _: &mut dyn Workload,
    _: bool,
) -> Result<Option<ethbench::measure::heap::HeapFigures>, Failure> {
    Ok(None)
}

pub(crate) fn fixtures() -> Ended {
    let fx = Fixtures::open_default()?;
    let manifest = fx.manifest();
    println!("Seed `{:#x}`; regenerate with `{}`.", manifest.seed, manifest.generator);
    println!();
    println!("| file | bytes | sha256 | what it is | shape |");
    println!("|---|---|---|---|---|");
    for (name, entry) in &manifest.files {
        let shape = serde_json::to_string(&entry.shape).unwrap_or_default().replace('|', "\\|");
        println!("| `{name}` | {} | `{}…` | {} | `{shape}` |", entry.bytes, &entry.sha256[..12], entry.about);
    }
    Ok(ExitCode::SUCCESS)
}

/// The workload named `id` (preparing no other), or an error that lists the closest names.
pub(crate) fn find(id: &str) -> Result<Box<dyn Workload>, Failure> {
    let fx = Fixtures::open_default()?;
    if let Some(w) = ethbench::groups::workload(&fx, id)? {
        return Ok(w);
    }
    let all = all_workloads()?;
    let mut close: Vec<(usize, &str)> = all.iter().map(|w| (strsim::levenshtein(id, w.id()), w.id())).collect();
    close.sort();
    let names: Vec<&str> = close.iter().take_while(|(d, _)| *d <= id.len() / 2).take(3).map(|(_, id)| *id).collect();
    let hint = if names.is_empty() { String::new() } else { format!("; did you mean {}?", names.join(", ")) };
    fail(format!("no workload `{id}`{hint}; `ethbench list` shows them all"))
}

pub(crate) fn run(
    id: &str,
    iters: Option<u64>,
    duration: Option<f64>,
    input: &InputArgs,
    profile: &ProfileArgs,
    json: bool,
) -> Ended {
    // With --json, stdout is the JSON alone; the lines for people go to stderr.
    let say = super::say(json);
    let mut figures = Vec::new();
    if profile.flame {
        ethbench::measure::profile::check_writable(&profile.flame_output)?;
    }
    if profile.heap {
        if !cfg!(feature = "heap") {
            return fail(format!(
                "--heap needs dhat as the global allocator: run `cargo run --release --features heap -- run {id} --heap`"
            ));
        }
        ethbench::measure::profile::check_writable(&profile.heap_output)?;
    }
    let mut workloads = resolve(id, input)?;
    // Read the clock about once a millisecond, so it stays out of the profile.
    let batches: Vec<u64> = ethbench::measure::workload::verify_all(&mut workloads)?
        .iter()
        .map(|once| (1_000_000 / once.as_nanos().max(1)).clamp(1, 1024) as u64)
        .collect();
    eprintln!(
        "ethbench: global allocator is {}, keccak backend {}",
        ethbench::measure::alloc::ACTIVE,
        ethbench::measure::keccak_backend::ACTIVE
    );

    #[cfg(feature = "heap")]
    let heap = profile.heap.then(|| dhat::Profiler::builder().file_name(&profile.heap_output).build());
    let mut flame =
        if profile.flame { Some(ethbench::measure::profile::start(profile.flame_frequency)?) } else { None };
    let flame_limit = profile.flame_duration.map(Duration::from_secs_f64);
    let write_flame = |guard: pprof::ProfilerGuard<'static>| -> Result<(), Failure> {
        ethbench::measure::profile::write_flamegraph(&guard, &profile.flame_output)?;
        eprintln!("ethbench: flamegraph written to {}", profile.flame_output.display());
        Ok(())
    };

    // The duration is shared by the workloads of an input.
    let limit = Duration::from_secs_f64(duration.unwrap_or(5.0) / workloads.len() as f64);
    let started = Instant::now();
    for (w, batch) in workloads.iter_mut().zip(batches) {
        let id = w.id().to_owned();
        let stateful = w.needs_reset();
        if stateful {
            eprintln!("ethbench: {id} changes state; it is reset before each run, and only runs are timed");
        }
        #[cfg(feature = "heap")]
        let before = heap.as_ref().map(|_| dhat::HeapStats::get());
        let wall = Instant::now();
        let mut timed = Duration::ZERO;
        let mut done = 0u64;
        while iters.map_or(wall.elapsed() < limit, |n| done < n) {
            let n = iters.map_or(batch, |n| (n - done).min(batch));
            timed += w.time(n)?;
            done += n;
            if flame_limit.is_some_and(|l| started.elapsed() >= l) {
                if let Some(guard) = flame.take() {
                    write_flame(guard)?;
                }
            }
        }
        let elapsed = timed.as_secs_f64();
        let ns = elapsed * 1e9 / done.max(1) as f64;
        say(format!(
            "{id}: {done} iterations in {elapsed:.2} s, {} per op, {:.0} ops/s, {}",
            format_time(ns),
            1e9 / ns,
            format_throughput(w.throughput(), ns)
        ));
        figures.push(serde_json::json!({
            "id": id,
            "iterations": done,
            "seconds": elapsed,
            "ns_per_op": ns,
            "throughput": w.throughput(),
        }));
        #[cfg(feature = "heap")]
        if let Some(before) = before {
            let after = dhat::HeapStats::get();
            let per_op = |total: u64| total as f64 / done.max(1) as f64;
            say(format!(
                "{id}: {:.1} allocations and {:.0} bytes per op; peak live {} bytes so far",
                per_op(after.total_blocks - before.total_blocks),
                per_op(after.total_bytes - before.total_bytes),
                after.max_bytes,
            ));
        }
    }
    if let Some(guard) = flame.take() {
        write_flame(guard)?;
    }
    let machine = ethbench::measure::machine::Machine::current();
    say(format!("measured {} on {}", machine.date, machine.summary()));
    if json {
        let report = serde_json::json!({ "machine": machine, "workloads": figures });
        super::print_json(&report);
    }
    #[cfg(feature = "heap")]
    if let Some(profiler) = heap {
        say(format!("dhat profile in {}", profile.heap_output.display()));
        // Dropping the profiler writes the file, and dhat reports it on stderr.
        drop(profiler);
    }
    Ok(ExitCode::SUCCESS)
}

/// `ethbench bench`: Criterion on the workloads `workload` names (an id
/// prefix, or one of your own inputs), refusing a baseline that lacks one.
pub(crate) fn bench(workload: &str, input: &InputArgs, save_baseline: Option<&str>, baseline: Option<&str>) -> Ended {
    let workloads = match workload {
        "evm/bytecode" | "rlp/block" | "statetest" | "blocktest" => resolve(workload, input)?,
        prefix => {
            if let Some(flag) = input.given() {
                return fail(format!(
                    "{flag} is for your own inputs: use it with `evm/bytecode`, `rlp/block`, `statetest` or `blocktest`"
                ));
            }
            let picked: Vec<_> = all_workloads()?.into_iter().filter(|w| w.id().starts_with(prefix)).collect();
            if picked.is_empty() {
                // One workload the registry builds only when named (a larger scale tier), or a suggestion.
                vec![find(prefix)?]
            } else {
                picked
            }
        }
    };
    if let Some(name) = baseline {
        // Criterion would panic on a baseline it does not have.
        let saved = read_baseline(&ethbench::measure::results::criterion_dir(), name)?;
        if let Some(w) = workloads.iter().find(|w| !saved.iter().any(|m| m.id == w.id())) {
            return fail(format!(
                "baseline `{name}` has no results for {}; save one first with `ethbench bench {workload} … --save-baseline {name}`",
                w.id()
            ));
        }
    }
    ethbench::judge::bench_target::run_workloads(workloads, save_baseline, baseline);
    Ok(ExitCode::SUCCESS)
}
