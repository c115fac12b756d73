//! `ethbench`: list the workloads, run one in a loop (the process to point
//! `perf`, `valgrind` or `samply` at), judge an A/B, or print Criterion's
//! results as a table. This file parses and dispatches; `cli/` does the work.

mod cli;

use std::process::ExitCode;

use clap::Parser;
use cli::args::{Cli, Command, ReportKind};
use cli::{fail, status, Ended};

/// The one place the process ends: a command's status, or its one-line failure with status 2.
fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return refused(&e),
    };
    // A closed pipe (`ethbench list | head`) ends the process quietly, as it
    // does any Unix tool, instead of a panic on the next print. Not in the
    // A/B driver, which writes to its workers' pipes and reports a worker
    // that died.
    if !matches!(cli.command, Command::Ab { .. } | Command::Compare { confirm: true, .. }) {
        // SAFETY: signal(2) with the default disposition, before any thread is started.
        unsafe {
            libc::signal(libc::SIGPIPE, libc::SIG_DFL);
        }
    }
    if cli.quiet {
        ethbench::measure::progress::silence();
    }
    quiet_stdout_failures();
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| dispatch(cli))) {
        Ok(Ok(code)) => code,
        Ok(Err(failure)) => {
            eprintln!("error: {}", failure.0);
            ExitCode::from(2)
        }
        Err(panic) => match stdout_failure(panic.as_ref()) {
            Some(why) => {
                eprintln!("error: cannot write to standard output: {why}");
                ExitCode::from(2)
            }
            None => std::panic::resume_unwind(panic),
        },
    }
}

/// `println!` panics when standard output cannot be written (a full disk,
/// `> /dev/full`). Such a panic says nothing here: it unwinds to `main`
/// (dropping every temporary database on the way) and ends as one line.
fn quiet_stdout_failures() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if stdout_failure(info.payload()).is_none() {
            default(info);
        }
    }));
}

/// Why standard output could not be written, if that is what `payload` says.
fn stdout_failure(payload: &(dyn std::any::Any + Send)) -> Option<String> {
    let message =
        payload.downcast_ref::<String>().map(String::as_str).or_else(|| payload.downcast_ref::<&str>().copied())?;
    message.strip_prefix("failed printing to stdout: ").map(str::to_owned)
}

/// What clap did not run: help and the version (status 0), or a mistake in
/// one line with clap's tip (`a similar subcommand exists: 'list'`), folded,
/// without the usage that follows (status 2).
fn refused(e: &clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    match e.kind() {
        ErrorKind::DisplayVersion => {
            println!("{}", ethbench::measure::machine::version_line());
            ExitCode::SUCCESS
        }
        ErrorKind::DisplayHelp | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            status(e.exit_code())
        }
        _ => {
            let text = e.to_string();
            let lines: Vec<&str> = text.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
            let mut message = String::new();
            for line in lines.iter().take_while(|l| !l.starts_with("Usage:") && !l.starts_with("For more information"))
            {
                if !message.is_empty() {
                    message.push_str(if message.ends_with(':') { " " } else { "; " });
                }
                message.push_str(line.trim_start_matches("error: "));
            }
            // Point to the help of the subcommand that was refused, where there is one.
            let subcommand = std::env::args()
                .nth(1)
                .filter(|name| <Cli as clap::CommandFactory>::command().find_subcommand(name).is_some());
            let help = subcommand.map_or("ethbench --help".to_owned(), |name| format!("ethbench {name} --help"));
            eprintln!("error: {message} (see `{help}`)");
            ExitCode::from(2)
        }
    }
}

fn dispatch(cli: Cli) -> Ended {
    match cli.command {
        Command::List { markdown, allocs, json } => cli::run::list(markdown, allocs, json),
        Command::Fixtures => cli::run::fixtures(),
        Command::Run { workload, iters, duration, input, profile, json } => {
            cli::run::run(&workload, iters, duration, &input, &profile, json)
        }
        Command::Bench { workload, input, save_baseline, baseline } => {
            cli::run::bench(&workload, &input, save_baseline.as_deref(), baseline.as_deref())
        }
        Command::Compare { base, new, floor, floors, calibrated_floors, criterion_dir, gate, confirm, reports } => {
            let (calibrated, calibrated_from) =
                cli::verdict::calibrated_floors(calibrated_floors.as_deref(), cli::verdict::Pairing::Unpaired)?;
            let rule =
                ethbench::judge::compare::Rule { floor, floors, calibrated, calibrated_from, ..Default::default() };
            let how = cli::verdict::Unpaired { gate, confirm };
            cli::verdict::compare(&base, &new, rule, &reports, criterion_dir, how)
        }
        Command::Floors { baselines, paired, criterion_dir, write, minimum, svg } => {
            let out = cli::verdict::FloorsOut { write, minimum, svg };
            match baselines {
                Some(baselines) => cli::verdict::floors(&baselines, criterion_dir, &out),
                None => cli::verdict::paired_floors(&paired, &out),
            }
        }
        Command::Ab {
            base,
            head,
            filter,
            floor,
            floors,
            calibrated_floors,
            budget,
            max_rounds,
            plants,
            shard,
            shard_weights,
            counts_only,
            reports,
        } => {
            let only = match shard {
                Some(shard) => {
                    Some(cli::verdict::shard_ids([&base, &head], filter.as_deref(), shard, shard_weights.as_deref())?)
                }
                None => None,
            };
            let mut options = ethbench::judge::ab::Options {
                filter,
                only,
                budget: std::time::Duration::from_secs_f64(budget),
                max_rounds: max_rounds.max(2),
                plants,
                progress: true,
                counts_only,
                ..Default::default()
            };
            options.rule.floor = floor;
            options.rule.floors = floors;
            (options.rule.calibrated, options.rule.calibrated_from) =
                cli::verdict::calibrated_floors(calibrated_floors.as_deref(), cli::verdict::Pairing::Paired)?;
            cli::verdict::ab(&base, &head, &options, &reports)
        }
        Command::History { action } => cli::history::history(action),
        Command::Worker => {
            let stdin = std::io::stdin().lock();
            ethbench::judge::ab::worker::serve(stdin, std::io::stdout().lock())?;
            Ok(ExitCode::SUCCESS)
        }
        Command::StoppingRule { files, floor, calibrated_floors } => {
            let (calibrated, calibrated_from) = match calibrated_floors {
                Some(spec) => cli::verdict::calibrated_floors(Some(&spec), cli::verdict::Pairing::Paired)?,
                None => Default::default(),
            };
            let rule = ethbench::judge::compare::Rule { floor, calibrated, calibrated_from, ..Default::default() };
            cli::verdict::stopping_rule(&files, &rule)
        }
        Command::Machine { slug } => {
            let machine = ethbench::measure::machine::Machine::current();
            println!("{}", if slug { machine.slug() } else { machine.summary() });
            Ok(ExitCode::SUCCESS)
        }
        Command::Table(args) => cli::tables::report_kind(ReportKind::Table(args)),
        Command::Iai { action } => cli::iai::iai(action),
        Command::Opcodes(args) => cli::tables::report_kind(ReportKind::Opcodes(args)),
        Command::Precompiles(args) => cli::tables::report_kind(ReportKind::Precompiles(args)),
        Command::Worst { family, gas, seconds, from, programs, keep, counts, reference, target_mgas, write } => {
            if let Some(out) = programs {
                let gas = gas.unwrap_or(ethbench::judge::worst::fixture::FIXTURE_GAS);
                return cli::worst::fixture_programs(&from, gas, &out);
            }
            let gas = gas.unwrap_or(ethbench::judge::worst::search::Options::default().gas);
            let options =
                ethbench::judge::worst::search::Options { gas, seconds, keep: keep as usize, ..Default::default() };
            cli::worst::worst(family.as_deref(), &options, counts, &reference, target_mgas, write.as_deref())
        }
        Command::Pricing { baseline, criterion_dir, fresh, seconds, target_mgas, write } => {
            let source = if fresh {
                cli::pricing::Source::Fresh { seconds }
            } else {
                cli::pricing::Source::Criterion { baseline, criterion_dir }
            };
            cli::pricing::pricing(source, target_mgas, write.as_deref())
        }
        Command::Scale { max, tiers, only, seconds, write, clean } => {
            if clean {
                return cli::scale::clean();
            }
            let tiers = cli::scale::tiers(max.as_deref(), tiers.as_deref())?;
            cli::scale::scale(&cli::scale::Options { tiers, only, seconds, write })
        }
        Command::Pipeline { blocks, tier, input, seconds, write, spec } => {
            if let Some(out) = spec {
                let Some(name) = blocks.as_deref() else { return fail("--spec needs the block: --blocks mixed_3m") };
                return cli::pipeline::spec(name, &out);
            }
            let blocks = if input.is_empty() {
                let list = cli::pipeline::blocks(blocks.as_deref())?;
                let tier = tier
                    .as_deref()
                    .map_or(Ok(ethbench::groups::pipeline::DEFAULT_TIER), ethbench::groups::scale::Tier::parse);
                cli::pipeline::Blocks::Generated(list, tier?)
            } else {
                cli::pipeline::Blocks::Input(input)
            };
            cli::pipeline::pipeline(&cli::pipeline::Options { blocks, seconds, write })
        }
        Command::Report { kind: Some(kind), .. } => cli::tables::report_kind(kind),
        Command::Report { kind: None, results, prefix, json } => cli::tables::report(&results, prefix.as_deref(), json),
    }
}
