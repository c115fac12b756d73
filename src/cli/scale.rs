//! `ethbench scale`: every state operation at every tier, with I/O per
//! operation, the growth fitted, a table per operation and a plot.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use ethbench::groups::scale::measure::{self, Measured};
use ethbench::groups::scale::{build, report, store, tier, Tier};
use ethbench::measure::machine::Machine;
use ethbench::measure::progress::{clock, Progress};
use std::process::ExitCode;

use super::{fail, Ended, Failure};

pub(crate) struct Options {
    pub(crate) tiers: Vec<Tier>,
    pub(crate) only: Option<String>,
    pub(crate) seconds: f64,
    pub(crate) write: Option<PathBuf>,
}

/// Parse `--max` / `--tiers` into the tiers to run.
pub(crate) fn tiers(max: Option<&str>, list: Option<&str>) -> Result<Vec<Tier>, String> {
    if let Some(list) = list {
        let mut tiers = list.split(',').map(|t| Tier::parse(t.trim())).collect::<Result<Vec<_>, _>>()?;
        tiers.sort_unstable();
        tiers.dedup();
        return Ok(tiers);
    }
    let max = max.map(Tier::parse).transpose()?.unwrap_or(*tier::DEFAULT.last().expect("default tiers"));
    Ok(Tier::up_to(max))
}

pub(crate) fn clean() -> Ended {
    let dir = store::root_dir();
    match std::fs::remove_dir_all(&dir) {
        Ok(()) => println!("removed {}", dir.display()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            println!("nothing to remove: {} does not exist", dir.display())
        }
        Err(e) => return fail(format!("cannot remove {}: {e}", dir.display())),
    }
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn scale(o: &Options) -> Ended {
    let started = Instant::now();
    if !ethbench::groups::scale::io::Counters::available() {
        eprintln!(
            "ethbench: this kernel exposes no /proc/self/io; block-layer bytes and system calls will read as zero"
        );
    }
    // Build (or check) every tier first: the builds are the long part, and a failure should come before any measuring.
    let mut built: Vec<Built> = Vec::new();
    for t in &o.tiers {
        let t0 = Instant::now();
        let db = build::ensure(*t).map_err(|e| Failure(format!("tier {t}: {e}")))?;
        let disk = disk_bytes(&store::tier_dir(*t));
        eprintln!(
            "tier {t}: {} accounts, {} slots, {:.1} MiB on disk, built in {} (ready in {})",
            db.manifest.accounts,
            db.manifest.slots,
            disk as f64 / (1 << 20) as f64,
            clock(db.manifest.build_ms as f64 / 1e3),
            clock(t0.elapsed().as_secs_f64())
        );
        let depths = db.depths().map(|d| format!("{}, {}", d[0], d[1])).unwrap_or_else(|e| e);
        let rows = |name: &str| db.manifest.rows.iter().find(|(n, _)| n == name).map_or(0, |(_, r)| *r);
        let nodes = format!("{}, {}", rows(store::ACCOUNTS_TRIE), rows(store::STORAGES_TRIE));
        built.push((*t, db.manifest.build_ms, disk, depths, nodes));
    }
    let fx = ethbench::Fixtures::open_default()?;
    let mut all: Vec<(Tier, Box<dyn ethbench::Workload>)> = Vec::new();
    for t in &o.tiers {
        for w in ethbench::groups::scale::tier_workloads(&fx, *t)? {
            if o.only.as_deref().is_none_or(|p| w.id().trim_start_matches("scale/").starts_with(p)) {
                all.push((*t, w));
            }
        }
    }
    if all.is_empty() {
        return fail(format!(
            "no scale workload matches `{}`; cases are named like mdbx/read_account, trie/incremental_root, evm/sload (see `ethbench list`)",
            o.only.as_deref().unwrap_or("")
        ));
    }
    let budget = Duration::from_secs_f64(o.seconds);
    let mut progress = Progress::new(format!("measuring {} workloads", all.len()), all.len() as u64);
    let mut measured: Vec<(Tier, Measured)> = Vec::new();
    // One tier at a time: its workloads share one open state, dropped before the next tier opens.
    for t in &o.tiers {
        let mine: Vec<_> = all.iter_mut().filter(|(wt, _)| wt == t).collect();
        for (_, w) in mine {
            let m = measure::measure(w.as_mut(), budget)?;
            measured.push((*t, m));
            progress.advance(1);
        }
        all.retain(|(wt, _)| wt != t);
    }
    progress.finish();

    let curves = report::curves(&measured);
    let machine = Machine::current();
    let command = super::command_line();
    let date = machine.date.clone();
    // Short enough for the plot's width; the legend's key is in the Markdown beside it.
    let title = format!("ethbench scale · {date} · {} × {}", machine.cores, machine.cpu);
    let mut md = String::new();
    md.push_str(&format!("# The state at scale, {date}\n\nMachine: {}.\nCommand: `{command}`.\n", machine.summary()));
    md.push_str(&format!("Measured in {}. Each time is the Hodges–Lehmann estimate of {} samples with its 95% interval; I/O is per operation (one read, one seek and walk, one account written, one root update, one EVM access).\n\n", clock(started.elapsed().as_secs_f64()), 10));
    md.push_str(&tiers_table(&built));
    md.push_str("\n## Growth\n\n");
    if let Some(path) = &o.write {
        md.push_str(&format!(
            "![time per operation against the state's size]({})\n\nSolid: warm page cache; dashed: the page cache evicted before every run; dotted: the fitted curve carried on to 10⁹ entries (an extrapolation); the dashed vertical line is mainnet's size.\n\n",
            super::chart_name(path)
        ));
    }
    md.push_str(&report::summary(&curves));
    md.push_str("\n## Per operation\n\n");
    md.push_str(&report::tables(&curves));
    match &o.write {
        None => println!("{md}"),
        Some(path) => {
            let svg = report::svg(&curves, &title).map_err(|e| Failure(format!("drawing the plot: {e}")))?;
            super::write_results(path, &md, &svg, &measured)?;
            println!("{md}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// A built tier: its build time in ms, its disk use, its B-tree depths and its stored trie nodes.
type Built = (Tier, u64, u64, String, String);

fn tiers_table(built: &[Built]) -> String {
    let mut md = String::from(
        "## Tiers\n\n| tier | accounts | contracts | slots | build time | disk | B-tree depth (accounts, storage) | trie nodes stored (accounts, storage) |\n|---|---:|---:|---:|---:|---:|---|---|\n",
    );
    for (t, ms, disk, depths, nodes) in built {
        let mix = t.mix();
        md.push_str(&format!(
            "| {t} | {} | {} | {} | {} | {:.1} MiB | {depths} | {nodes} |\n",
            mix.accounts,
            mix.contracts,
            mix.slots,
            clock(*ms as f64 / 1e3),
            *disk as f64 / (1 << 20) as f64
        ));
    }
    md
}

/// Blocks the files of `dir` occupy (MDBX's data file is sparse where it has not grown into).
fn disk_bytes(dir: &Path) -> u64 {
    use std::os::unix::fs::MetadataExt;
    std::fs::read_dir(dir)
        .map(|d| d.flatten().filter_map(|e| e.metadata().ok()).map(|m| m.blocks() * 512).sum())
        .unwrap_or(0)
}
