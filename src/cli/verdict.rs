//! Commands that judge: `compare` (two Criterion baselines) and `ab` (the
//! paired runner), their reports, and the one exit gate they share.

use std::path::PathBuf;
use std::process::ExitCode;

use ethbench::judge::report::{Bmf, CheckedCounts, Json, Judgement, Markdown, Report, Terminal};

use super::args::Reports;
use super::{fail, status, Ended, Failure};

/// The latest iai-callgrind run checked against `baseline`, when one is given.
pub(crate) fn instruction_counts(out: &Reports) -> Result<Option<CheckedCounts>, Failure> {
    let Some(path) = &out.iai_baseline else { return Ok(None) };
    let baseline = ethbench::judge::iai::load(path)?;
    let run = ethbench::judge::iai::read_summaries(&ethbench::measure::output::target_dir().join("iai"))?;
    Ok(Some((ethbench::judge::iai::check(&baseline, &run, &out.iai_groups), baseline)))
}

/// The exit gate of `compare` and `ab`, one rule for both: a confirmed
/// regression in time (with `--gate`, also a slower suspect), or an
/// instruction count that rose past its tolerance. (A benchmark new to one
/// side is reported, not failed; `iai check` is stricter because it keeps the
/// committed baseline complete.)
fn gate(judgement: &Judgement, suspects_fail: bool) -> ExitCode {
    let s = &judgement.summary;
    let regressed = if suspects_fail { s.regressed + s.suspects_slower } else { s.regressed };
    if regressed > 0 || judgement.counts_rose() > 0 {
        status(ethbench::judge::compare::EXIT_REGRESSED)
    } else {
        ExitCode::SUCCESS
    }
}

/// Every report the user asked for, each rendered from the one judgement.
fn write_reports(out: &Reports, judgement: &Judgement) -> Result<(), Failure> {
    out.write(&out.markdown, Markdown.render(judgement))?;
    out.write(&out.json, Json.render(judgement))?;
    out.write(&out.bmf, Bmf.render(judgement))?;
    out.say()(Terminal.render(judgement));
    Ok(())
}

pub(crate) fn ab(
    base: &std::path::Path,
    head: &std::path::Path,
    options: &ethbench::judge::ab::Options,
    out: &Reports,
) -> Ended {
    let outcome = ethbench::judge::ab::run(base, head, options)?;
    let counts = instruction_counts(out)?;
    let judgement = Judgement::of_paired(outcome, options.rule.clone(), counts);
    write_reports(out, &judgement)?;
    Ok(gate(&judgement, false))
}

/// The ids of `shard` among the workloads either build has under `filter`.
pub(crate) fn shard_ids(
    sides: [&std::path::Path; 2],
    filter: Option<&str>,
    shard: ethbench::judge::ab::shard::Shard,
    weights: Option<&std::path::Path>,
) -> Result<Vec<String>, Failure> {
    let weights: std::collections::BTreeMap<String, f64> = match weights {
        None => Default::default(),
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| Failure(format!("cannot read the shard weights {}: {e}", path.display())))?;
            serde_json::from_str(&text).map_err(|e| {
                Failure(format!(
                    "{} is not `{{id: seconds}}` JSON ({e}); write it with ci/shard-weights.mjs",
                    path.display()
                ))
            })?
        }
    };
    let (mine, of) = ethbench::judge::ab::shard::ids_of(sides[0], sides[1], filter, &weights, shard)?;
    if of == 0 {
        return fail(format!("no workload id starts with `{}`; `ethbench list` shows them", filter.unwrap_or("")));
    }
    if mine.is_empty() {
        return fail(format!(
            "shard {}/{} has none of the {of} benchmarks selected; use fewer shards",
            shard.index, shard.count
        ));
    }
    eprintln!("shard {}/{}: {} of {of} benchmarks", shard.index, shard.count, mine.len());
    Ok(mine)
}

impl Reports {
    /// Write `text` to `path`; `-` is standard output.
    pub(crate) fn write(&self, path: &Option<PathBuf>, text: String) -> Result<(), Failure> {
        match path {
            Some(path) if path.as_os_str() == "-" => print!("{text}"),
            Some(path) => ethbench::measure::output::write_file(path, text.as_bytes())?,
            None => {}
        }
        Ok(())
    }

    /// Where the terminal summary goes: stderr when a report goes to stdout.
    pub(crate) fn say(&self) -> impl Fn(String) {
        let to_stdout =
            [&self.markdown, &self.json, &self.bmf].iter().any(|p| p.as_ref().is_some_and(|p| p.as_os_str() == "-"));
        super::say(to_stdout)
    }
}

/// What a comparison of saved runs does with its suspects.
pub(crate) struct Unpaired {
    /// A slower suspect fails the exit status.
    pub(crate) gate: bool,
    /// Suspects go to a paired A/B, whose verdict is the answer.
    pub(crate) confirm: bool,
}

pub(crate) fn compare(
    base: &str,
    new: &str,
    rule: ethbench::judge::compare::Rule,
    out: &Reports,
    dir: Option<PathBuf>,
    how: Unpaired,
) -> Ended {
    use ethbench::judge::compare;
    let dir = dir.unwrap_or_else(ethbench::measure::results::criterion_dir);
    let results = compare::Results::read(&dir)?;
    let base = results.side("base", base)?;
    let new = results.side("new", new)?;
    compare::check_comparable(&base, &new)?;
    let comparisons = compare::compare(&base.rounds, &new.rounds, &rule);
    // What --confirm needs of the base, kept before the judgement takes the sides.
    let (base_name, base_machine) = (base.baselines.join(","), base.machine.clone());
    let counts = instruction_counts(out)?;
    let judgement = Judgement::of_baselines(base, new, comparisons, rule, counts);
    write_reports(out, &judgement)?;
    if how.confirm {
        return confirm(&base_name, base_machine.as_ref(), &judgement.comparisons);
    }
    Ok(gate(&judgement, how.gate))
}

/// The paired A/B of the base baseline's commit and this working tree, on
/// the suspects: `ci/compare.sh`, as pull requests run it. Its exit status is the verdict.
fn confirm(
    name: &str,
    machine: Option<&ethbench::measure::machine::Machine>,
    comparisons: &[ethbench::judge::compare::Comparison],
) -> Ended {
    let suspects: Vec<&str> = comparisons
        .iter()
        .filter(|c| c.verdict == ethbench::judge::compare::Verdict::Suspect)
        .map(|c| c.id.as_str())
        .collect();
    if suspects.is_empty() {
        println!("ethbench compare --confirm: no suspects, nothing to confirm");
        return Ok(ExitCode::SUCCESS);
    }
    let Some(machine) = machine else {
        return fail(format!(
            "baseline `{name}` has no record of what was measured; run `ci/compare.sh <the commit it was measured at> {}` to confirm",
            suspects.join(",")
        ));
    };
    let Some(commit) = &machine.commit else {
        return fail(format!(
            "baseline `{name}` records no commit (saved outside a git checkout, or before commits were recorded); run `ci/compare.sh <the commit it was measured at> {}` to confirm",
            suspects.join(",")
        ));
    };
    if machine.dirty {
        eprintln!("ethbench: baseline `{name}` was measured with uncommitted changes on {commit}; the paired run builds {commit} as committed");
    }
    println!("ethbench compare --confirm: paired A/B of {commit} and this working tree on {} suspects", suspects.len());
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("ci/compare.sh");
    let ran = std::process::Command::new(&script)
        .arg(commit)
        .arg(suspects.join(","))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .status()
        .map_err(|e| Failure(format!("cannot run {}: {e}", script.display())))?;
    Ok(status(ran.code().unwrap_or(ethbench::judge::compare::EXIT_UNUSABLE)))
}

/// Which verdict calibrated floors are for, and so which file holds them.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Pairing {
    /// `ethbench compare`: ci/unpaired-floors.json.
    Unpaired,
    /// `ethbench ab`: ci/paired-floors.json.
    Paired,
}

/// The calibrated floors and the file they came from: `spec` names the file
/// (`none`: no file), else the committed file of `pairing` where it exists.
pub(crate) fn calibrated_floors(
    spec: Option<&str>,
    pairing: Pairing,
) -> Result<(std::collections::BTreeMap<String, f64>, String), Failure> {
    use ethbench::judge::compare::calibrate;
    let committed = match pairing {
        Pairing::Unpaired => calibrate::FILE,
        Pairing::Paired => calibrate::PAIRED_FILE,
    };
    let (path, named) = match spec {
        Some("none") => return Ok(Default::default()),
        Some(path) => (PathBuf::from(path), path.to_owned()),
        None => (std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(committed), committed.to_owned()),
    };
    match calibrate::load(&path) {
        Ok(Some(f)) => Ok((f.floors, named)),
        Ok(None) if spec.is_some() => fail(format!("{}: no such file", path.display())),
        Ok(None) => Ok(Default::default()),
        Err(e) => fail(e),
    }
}

/// The rounds each paired run recorded, by file; refuses a run with planted changes.
fn paired_samples(
    files: &[PathBuf],
) -> Result<Vec<(String, ethbench::judge::compare::calibrate::PairedSamples)>, Failure> {
    #[derive(serde::Deserialize)]
    struct Recorded {
        samples: ethbench::judge::compare::calibrate::PairedSamples,
        #[serde(default)]
        plants: std::collections::BTreeMap<String, String>,
    }
    let mut runs = Vec::new();
    for file in files {
        let text = std::fs::read(file).map_err(|e| Failure(format!("cannot read {}: {e}", file.display())))?;
        let recorded: Recorded = serde_json::from_slice(&text).map_err(|e| {
            Failure(format!(
                "{} is not the JSON of one paired run (`ethbench ab --json`; of a sharded run, give each shard's): {e}",
                file.display()
            ))
        })?;
        if !recorded.plants.is_empty() {
            return fail(format!(
                "{} has planted changes ({} benchmarks): give runs in which no workload changed",
                file.display(),
                recorded.plants.len()
            ));
        }
        runs.push((file.display().to_string(), recorded.samples));
    }
    Ok(runs)
}

/// What `ethbench floors` does with the floors it derives, besides printing them.
pub(crate) struct FloorsOut {
    /// `--write`, and its file if one was named.
    pub(crate) write: Option<Option<PathBuf>>,
    pub(crate) minimum: Option<f64>,
    pub(crate) svg: Option<PathBuf>,
}

impl FloorsOut {
    /// The command line that derived them, as the file records it.
    fn command(&self, inputs: &str) -> String {
        let mut command = format!("ethbench floors {inputs}");
        if let Some(m) = self.minimum {
            command.push_str(&format!(" --minimum {}", m * 100.0));
        }
        match &self.write {
            Some(Some(file)) => command.push_str(&format!(" --write {}", file.display())),
            Some(None) => command.push_str(" --write"),
            None => {}
        }
        command
    }

    /// Print the table of `floors`, draw their chart against the `fixed`
    /// floor they replace, and write them (to `committed` unless a file was named).
    fn show(
        &self,
        floors: &ethbench::judge::compare::calibrate::CalibratedFloors,
        fixed: f64,
        committed: &str,
    ) -> Result<(), Failure> {
        print_distribution(&floors.floors);
        if let Some(path) = &self.svg {
            let machine = ethbench::measure::machine::Machine::current();
            let title = format!("Floors of {} benchmarks, {}, {}", floors.floors.len(), machine.date, machine.slug());
            let chart = ethbench::judge::compare::floors_chart::svg(&floors.floors, fixed, &title)?;
            ethbench::measure::output::write_file(path, chart.as_bytes())?;
            println!("drew {}", path.display());
        }
        if let Some(file) = &self.write {
            let path = match file {
                Some(file) => file.clone(),
                None => std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(committed),
            };
            let json = serde_json::to_string_pretty(floors).expect("floors serialise") + "\n";
            ethbench::measure::output::write_file(&path, json.as_bytes())?;
            println!("wrote {}", file.as_ref().map_or(committed.to_owned(), |f| f.display().to_string()));
        }
        Ok(())
    }
}

fn print_distribution(floors: &std::collections::BTreeMap<String, f64>) {
    use ethbench::judge::compare::calibrate;
    let distribution = calibrate::distribution(floors);
    println!("| floors | {} |", distribution.iter().map(|(q, _)| *q).collect::<Vec<_>>().join(" | "));
    println!("|---|{}", "---:|".repeat(distribution.len()));
    let row: Vec<String> = distribution.iter().map(|(_, f)| format!("{:.1}%", f * 100.0)).collect();
    println!("| per benchmark | {} |", row.join(" | "));
}

/// `ethbench floors --paired JSON…`: per-benchmark floors of the paired verdict, printed and with `write` committed.
pub(crate) fn paired_floors(files: &[PathBuf], out: &FloorsOut) -> Ended {
    use ethbench::judge::compare::calibrate;
    let runs = paired_samples(files)?;
    let names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
    let command = out.command(&format!("--paired {}", names.join(" ")));
    let minimum = out.minimum.unwrap_or(calibrate::PAIRED_MINIMUM);
    let floors = calibrate::derive_paired(&runs, minimum, &command)?;
    println!("{} benchmarks, {} paired runs in which no workload changed", floors.floors.len(), runs.len());
    let fixed = ethbench::judge::ab::Options::default().rule.floor;
    let at_minimum = floors.floors.values().filter(|f| **f <= minimum).count();
    let below = floors.floors.values().filter(|f| **f < fixed).count();
    println!(
        "{at_minimum} benchmarks at the {:.1}% minimum; {below} below the fixed {:.0}% floor, {} at or above it",
        minimum * 100.0,
        fixed * 100.0,
        floors.floors.len() - below
    );
    out.show(&floors, fixed, calibrate::PAIRED_FILE)?;
    Ok(ExitCode::SUCCESS)
}

/// `ethbench floors`: per-benchmark floors from A/A runs, printed and with `write` committed.
pub(crate) fn floors(spec: &str, dir: Option<PathBuf>, out: &FloorsOut) -> Ended {
    use ethbench::judge::compare::{self, calibrate};
    let dir = dir.unwrap_or_else(ethbench::measure::results::criterion_dir);
    let results = compare::Results::read(&dir)?;
    let side = results.side("runs", spec)?;
    let runs: Vec<(String, Vec<ethbench::measure::results::Measurement>)> =
        side.baselines.into_iter().zip(side.rounds).collect();
    let command = out.command(&format!("--baselines {spec}"));
    let floors = calibrate::derive(&runs, out.minimum.unwrap_or(calibrate::MINIMUM), &command)?;
    println!(
        "{} benchmarks, {} A/A pairs of {}",
        floors.floors.len(),
        runs.len() * (runs.len() - 1) / 2,
        floors.runs.join(", ")
    );
    let above = floors.floors.values().filter(|f| **f > 0.03).count();
    println!("{above} benchmarks need more than the former fixed 3%; {} less", floors.floors.len() - above);
    out.show(&floors, compare::Rule::default().floor, calibrate::FILE)?;
    Ok(ExitCode::SUCCESS)
}

/// `ethbench stopping-rule AA_JSON...`: candidate stopping rules replayed on
/// the rounds that paired A/A runs recorded (`ethbench ab --json`).
pub(crate) fn stopping_rule(files: &[PathBuf], rule: &ethbench::judge::compare::Rule) -> Ended {
    let mut samples = std::collections::BTreeMap::new();
    for (_, recorded) in paired_samples(files)? {
        for (bench, rounds) in recorded {
            samples.entry(bench).or_insert_with(Vec::new).extend(rounds);
        }
    }
    let noise = ethbench::judge::ab::stopping_rule::noise(&samples);
    let rounds: usize = noise.values().map(Vec::len).sum();
    println!("{} benchmarks, {rounds} recorded rounds from {} runs", noise.len(), files.len());
    for line in ethbench::judge::ab::stopping_rule::report(&noise, rule) {
        println!("{line}");
    }
    Ok(ExitCode::SUCCESS)
}
