//! `ethbench pricing`: the gas-per-second map, from a Criterion run or a fresh one.

use std::path::{Path, PathBuf};
use std::time::Duration;

use ethbench::groups::scale::measure::{measure, ops_per_run};
use ethbench::judge::pricing::{self, report, Timed};
use ethbench::measure::progress::Progress;
use ethbench::{Fixtures, Select};
use std::process::ExitCode;

use super::{Ended, Failure};

pub(crate) enum Source {
    Criterion { baseline: String, criterion_dir: Option<PathBuf> },
    Fresh { seconds: f64 },
}

pub(crate) fn pricing(source: Source, target: f64, write: Option<&Path>) -> Ended {
    let fx = Fixtures::open_default()?;
    let world = ethbench::groups::evm::world::World::load(&fx)?;
    let (timed, machine, described) = match source {
        Source::Criterion { baseline, criterion_dir } => {
            let dir = criterion_dir.unwrap_or_else(ethbench::measure::results::criterion_dir);
            let measured = ethbench::measure::results::read_baseline(&dir, &baseline)?;
            // The machine recorded when the baseline was measured, not this one.
            let machine = ethbench::measure::results::recorded_machine(&dir, &baseline)
                .unwrap_or_else(ethbench::measure::machine::Machine::current);
            let timed: Vec<Timed> = measured.iter().map(Timed::from_criterion).collect();
            (timed, machine, format!("the Criterion baseline `{baseline}`"))
        }
        Source::Fresh { seconds } => (
            fresh(&fx, seconds)?,
            ethbench::measure::machine::Machine::current(),
            format!("a fresh run, {seconds} s per workload"),
        ),
    };
    let cases = pricing::cases(&world, &fx, &timed)?;
    let command = super::command_line();
    match write {
        None => print!("{}", report::markdown(&cases, target, &machine, &described, &command, None)),
        Some(path) => {
            let title = format!("MGas/s of every priced operation, {} on {} cores", machine.date, machine.cores);
            let svg = report::svg(&cases, target, &title)?;
            let md = report::markdown(&cases, target, &machine, &described, &command, Some(&super::chart_name(path)));
            let raw =
                serde_json::json!({ "machine": machine, "target_mgas": target, "source": described, "cases": cases });
            super::write_results(path, &md, &svg, &raw)?;
            let below = cases.iter().filter(|c| pricing::shortfall(c, target).is_some()).count();
            println!("{below} of {} cases below {target} MGas/s; wrote {}", cases.len(), path.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Every opcode, baseline, storage and precompile workload, verified and
/// timed with the suite's one measuring loop: time per call.
fn fresh(fx: &Fixtures, seconds: f64) -> Result<Vec<Timed>, Failure> {
    let mut workloads = ethbench::groups::evm::workloads(fx, Select::prefix("evm/op,evm/baseline,evm/storage"))?;
    workloads.extend(ethbench::groups::precompile::workloads(fx, Select::ALL)?);
    let mut progress = Progress::new(format!("timing {} workloads", workloads.len()), workloads.len() as u64);
    let mut timed = Vec::with_capacity(workloads.len());
    for w in &mut workloads {
        let m = measure(w.as_mut(), Duration::from_secs_f64(seconds))?;
        // `measure` reports per operation of a run; a run is one call here.
        let per_run = ops_per_run(w.throughput()) as f64;
        timed.push(Timed {
            id: m.id,
            ns: (m.ns.0 * per_run, m.ns.1 * per_run, m.ns.2 * per_run),
            throughput: Some(w.throughput()),
        });
        progress.advance(1);
    }
    progress.finish();
    Ok(timed)
}
