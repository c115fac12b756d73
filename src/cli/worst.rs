//! `ethbench worst`: the search, its progress, the confirmation by
//! instruction counts, and the results file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;
use std::time::Instant;

use ethbench::judge::worst::{counts, families, fixture, report, search};
use ethbench::measure::progress::Progress;
use ethbench::Fixtures;
use std::process::ExitCode;

use super::{fail, Ended, Failure};

pub(crate) fn worst(
    only: Option<&str>,
    options: &search::Options,
    confirm: bool,
    reference: &[PathBuf],
    target: f64,
    write: Option<&Path>,
) -> Ended {
    let fx = Fixtures::open_default()?;
    let mut all = families::all(&fx)?;
    if let Some(name) = only {
        let names: Vec<&str> = all.iter().map(|f| f.name).collect();
        if !names.contains(&name) {
            return fail(format!("no family `{name}`; the families are {}", names.join(", ")));
        }
        all.retain(|f| f.name == name);
    }
    if confirm && std::process::Command::new("valgrind").arg("--version").output().is_err() {
        return fail("--counts needs valgrind (apt-get install valgrind)");
    }
    let started = Instant::now();
    // Grid points, plus at most two refined points per round per variant.
    let planned: usize = all.iter().flat_map(|f| &f.variants).map(|v| v.grid.len() + 2 * options.refine).sum();
    let mut progress = Progress::new(format!("searching {} families", all.len()), planned as u64);
    let (mut done, mut worst, mut skipped, mut evaluated) = (0u64, BTreeMap::new(), Vec::new(), 0);
    let kinds: BTreeMap<String, ethbench::judge::pricing::Kind> =
        all.iter().map(|f| (f.name.to_owned(), f.kind)).collect();
    for family in &all {
        let mut tick = |_: &str| {
            done += 1;
            progress.set(done, (planned as u64).max(done + 1));
        };
        let (points, missed, n) = search::family(family, options, &mut tick)?;
        evaluated += n;
        if points.is_empty() {
            let why = missed.first().map_or("it has no points".to_owned(), |m| m.reason.clone());
            return fail(format!(
                "family `{}`: no program fits a budget of {} gas ({why}); give a larger --gas",
                family.name, options.gas
            ));
        }
        skipped.extend(missed);
        if let Some(p) = points.first() {
            eprintln!("{:<18} worst: {} at {:.1} MGas/s", family.name, p.label(), p.mgas.0);
        }
        worst.insert(family.name.to_owned(), points);
    }
    progress.finish();
    if confirm {
        let kept: usize = worst.values().map(Vec::len).sum();
        let mut progress = Progress::new(format!("counting instructions of {kept} programs"), kept as u64);
        for points in worst.values_mut() {
            for p in points.iter_mut() {
                let budget = (10 * p.margin).max(3_000_000).min(options.gas);
                p.instructions_per_gas = Some(counts::instructions_per_gas(p, budget)?);
                progress.advance(1);
            }
            // Where two points' time intervals overlap, time cannot tell
            // them apart and the count, which noise does not move, decides:
            // a point that won by a lucky sample loses its place here.
            let ipg = |p: &search::Point| p.instructions_per_gas.unwrap_or(0.0);
            for _ in 0..points.len() {
                for i in 1..points.len() {
                    let (a, b) = (&points[i - 1], &points[i]);
                    if a.mgas.1 <= b.mgas.2 && b.mgas.1 <= a.mgas.2 && ipg(b) > ipg(a) {
                        points.swap(i - 1, i);
                    }
                }
            }
        }
        progress.finish();
    }
    let references = if reference.is_empty() { Vec::new() } else { references(reference, options.seconds)? };
    let machine = ethbench::measure::machine::Machine::current();
    let command = super::command_line();
    let summary = report::Summary {
        worst: &worst,
        references: &references,
        skipped: &skipped,
        evaluated,
        gas: options.gas,
        target,
        machine: &machine,
        command: &command,
        took_secs: started.elapsed().as_secs_f64(),
    };
    match write {
        None => print!("{}", report::markdown(&summary, None)),
        Some(path) => {
            let mut cases: Vec<ethbench::judge::pricing::Case> =
                worst.iter().filter_map(|(name, points)| Some(report::as_case(points.first()?, kinds[name]))).collect();
            cases.sort_by(|a, b| a.mgas.0.total_cmp(&b.mgas.0));
            let title = format!("Each family's worst case, {} on {} cores", machine.date, machine.cores);
            let svg = ethbench::judge::pricing::report::svg(&cases, target, &title)?;
            let md = report::markdown(&summary, Some(&super::chart_name(path)));
            let raw = serde_json::json!({ "machine": machine, "gas": options.gas, "target_mgas": target, "worst": worst, "references": references });
            super::write_results(path, &md, &svg, &raw)?;
            println!("{evaluated} programs searched; wrote {}", path.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Every block of the blockchain tests under `paths` whose name names a
/// family, verified and timed with the suite's measuring loop.
fn references(paths: &[PathBuf], seconds: f64) -> Result<Vec<report::Reference>, Failure> {
    use ethbench::groups::inputs::blocktest::{workloads, BlockTestInput};
    let input = BlockTestInput { paths: paths.to_vec(), fork: None, filter: None };
    let (mut all, _) = workloads(&input)?;
    let mut out = Vec::new();
    for w in &mut all {
        let id = w.id().to_owned();
        let Some(family) = report::family_of(&id) else {
            eprintln!("{id}: no family named in it; left out of the comparison");
            continue;
        };
        let ethbench::Throughput::Gas(gas) = w.throughput() else { continue };
        let m = ethbench::groups::scale::measure::measure(w.as_mut(), Duration::from_secs_f64(seconds.max(1.0)))?;
        let rate = |ns: f64| gas as f64 / ns * 1e3;
        out.push(report::Reference {
            id,
            family: family.to_owned(),
            gas,
            mgas: (rate(m.ns.0), rate(m.ns.2), rate(m.ns.1)),
        });
    }
    Ok(out)
}

/// Each family's worst case in the results files `from` (a later file's
/// family replaces an earlier one's), re-made to spend `gas`, written to `out`.
pub(crate) fn fixture_programs(from: &[PathBuf], gas: u64, out: &Path) -> Ended {
    #[derive(serde::Deserialize)]
    struct Results {
        worst: BTreeMap<String, Vec<search::Point>>,
    }
    let mut worst = BTreeMap::new();
    for path in from {
        let text = std::fs::read_to_string(path).map_err(|e| {
            Failure(format!("cannot read {}: {e}; give the `.json` a `worst --write` wrote", path.display()))
        })?;
        let results: Results = serde_json::from_str(&text).map_err(|e| {
            Failure(format!(
                "{} is not a worst-case results file ({e}); give the `.json` a `worst --write` wrote",
                path.display()
            ))
        })?;
        worst.extend(results.worst);
    }
    let fx = Fixtures::open_default()?;
    let all = families::all(&fx)?;
    let programs = fixture::programs(&all, &worst, gas)?;
    let missing: Vec<&str> = all.iter().map(|f| f.name).filter(|n| !worst.contains_key(*n)).collect();
    if !missing.is_empty() {
        eprintln!("no worst case in the results for: {}", missing.join(", "));
    }
    let text = serde_json::to_string_pretty(&programs).expect("programs serialize") + "\n";
    ethbench::measure::output::write_file(out, text.as_bytes())?;
    let budgets: Vec<String> = programs.iter().map(|p| format!("{} {}", p.family, p.gas_limit)).collect();
    println!("{} programs (gas: {}); wrote {}", programs.len(), budgets.join(", "), out.display());
    Ok(ExitCode::SUCCESS)
}
