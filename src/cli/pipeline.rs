//! `ethbench pipeline`: each block's import stage by stage on a tier's
//! state, with each stage's time, share, MGas/s and I/O, and a stacked bar
//! per block.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use ethbench::groups::pipeline::{self, block, report, stages::Stage};
use ethbench::groups::scale::measure;
use ethbench::groups::scale::{tier, Tier};
use ethbench::measure::machine::Machine;
use ethbench::measure::progress::{clock, Progress};
use std::process::ExitCode;

use super::{Ended, Failure};

/// Which blocks: the generated ones on a tier, or blockchain tests' last blocks.
pub(crate) enum Blocks {
    Generated(Vec<(&'static str, u64)>, Tier),
    Input(Vec<PathBuf>),
}

pub(crate) struct Options {
    pub(crate) blocks: Blocks,
    pub(crate) seconds: f64,
    pub(crate) write: Option<PathBuf>,
}

/// Parse `--blocks` (default: the 30M and 60M blocks).
pub(crate) fn blocks(list: Option<&str>) -> Result<Vec<(&'static str, u64)>, String> {
    let Some(list) = list else { return Ok(block::BLOCKS[1..].to_vec()) };
    list.split(',')
        .map(|name| {
            let name = name.trim();
            block::BLOCKS.iter().find(|(n, _)| *n == name).copied().ok_or_else(|| {
                let known: Vec<&str> = block::BLOCKS.iter().map(|(n, _)| *n).collect();
                format!("there is no block `{name}`; the blocks are {}", known.join(", "))
            })
        })
        .collect()
}

/// `--spec FILE`: the generator's spec of one block on the smallest tier, for the execution specification to fill.
pub(crate) fn spec(name: &str, out: &Path) -> Ended {
    let (name, gas_limit) = blocks(Some(name))?[0];
    let fx = ethbench::Fixtures::open_default()?;
    let generated = block::generate(&fx, name, gas_limit, tier::SMALLEST)?;
    let json = serde_json::to_vec(&generated.spec).expect("a spec serialises");
    ethbench::measure::output::write_file(out, &json)?;
    eprintln!(
        "wrote {} ({} transactions: {}; digest {})",
        out.display(),
        generated.transactions.len(),
        generated.mix.describe(),
        generated.spec.digest()
    );
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn pipeline(o: &Options) -> Ended {
    let started = Instant::now();
    // Errors come back here, after every block (and a blockchain test's temporary state) is dropped.
    let measured = measure_all(o)?;
    let machine = Machine::current();
    let md = report::markdown(&measured, &machine, &super::command_line(), started.elapsed(), o.write.as_deref());
    match &o.write {
        None => println!("{md}"),
        Some(path) => {
            let title = format!("ethbench pipeline · {} · {} × {}", machine.date, machine.cores, machine.cpu);
            let svg = report::svg(&measured, &title).map_err(|e| Failure(format!("drawing the chart: {e}")))?;
            super::write_results(path, &md, &svg, &measured)?;
            println!("{md}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn measure_all(o: &Options) -> Result<Vec<report::BlockRun>, String> {
    let fx = ethbench::Fixtures::open_default().map_err(|e| e.to_string())?;
    let budget = Duration::from_secs_f64(o.seconds);
    let mut measured = Vec::new();
    match &o.blocks {
        Blocks::Generated(list, tier) => {
            let total = (list.len() * Stage::ALL.len()) as u64;
            let mut progress = Progress::new(format!("measuring {total} stages"), total);
            for (name, gas_limit) in list {
                let t0 = Instant::now();
                let id = pipeline::block_id(name, *tier);
                let block =
                    pipeline::prepare(&fx, name, *gas_limit, *tier).map_err(|e| format!("pipeline/{id}: {e}"))?;
                eprintln!(
                    "block {name} on tier {tier}: {}, {} gas, ready in {}",
                    block.about,
                    block.gas_used,
                    clock(t0.elapsed().as_secs_f64())
                );
                let state = format!("tier {tier}");
                measured.push(measure_block(id, block, state, budget, &mut progress)?);
            }
            progress.finish();
        }
        Blocks::Input(paths) => {
            let pipeline::input::Inputs { blocks, skipped } =
                pipeline::input::blocks(paths).map_err(|e| e.to_string())?;
            for s in skipped {
                eprintln!("ethbench: skipped {s}");
            }
            let total = (blocks.len() * Stage::ALL.len()) as u64;
            let mut progress = Progress::new(format!("measuring {total} stages"), total);
            for (id, block) in blocks {
                measured.push(measure_block(id, block, "the test's pre-state".into(), budget, &mut progress)?);
            }
            progress.finish();
        }
    }
    Ok(measured)
}

fn measure_block(
    id: String,
    block: pipeline::stages::Block,
    state: String,
    budget: Duration,
    progress: &mut Progress,
) -> Result<report::BlockRun, String> {
    let (gas_limit, gas_used) = (block.prepared.header.gas_limit, block.gas_used);
    let (transactions, mix) = (block.transactions.len(), block.about.clone());
    let mut stages = Vec::new();
    for mut w in pipeline::prepared_workloads(vec![(id.clone(), block)]) {
        stages.push(measure::measure(w.as_mut(), budget).map_err(|e| e.to_string())?);
        progress.advance(1);
    }
    Ok(report::BlockRun { block: id, state, gas_limit, gas_used, transactions, mix, stages })
}
