//! `ethbench history`: record a baseline of main, and render the history with its creep check.

use std::process::ExitCode;

use super::args::{HistoryAction, Reports};
use super::{fail, Ended};

pub(crate) fn history(action: HistoryAction) -> Ended {
    use ethbench::judge::history;
    match action {
        HistoryAction::Record { dir, commit, baseline, criterion_dir, unix } => {
            let criterion = criterion_dir.unwrap_or_else(ethbench::measure::results::criterion_dir);
            let mut record = history::Record::from_baseline(&criterion, &baseline, &commit)?;
            record.unix = unix.unwrap_or(record.unix);
            let path = dir.join(record.file_name());
            let json = serde_json::to_vec(&record).expect("records serialize");
            ethbench::measure::output::write_file(&path, &json)?;
            println!("recorded {} benchmarks of {commit} in {}", record.benchmarks.len(), path.display());
            Ok(ExitCode::SUCCESS)
        }
        HistoryAction::Skip { dir, commit, reason, unix } => {
            if reason.trim().is_empty() || reason.contains('\n') {
                return fail("--reason must be one line saying why the commit was not measured");
            }
            let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
            let record = history::Record::skipped(&commit, unix.unwrap_or(now), reason.trim());
            let path = dir.join(record.file_name());
            let json = serde_json::to_vec(&record).expect("records serialize");
            ethbench::measure::output::write_file(&path, &json)?;
            println!("recorded {commit} as skipped in {}", path.display());
            Ok(ExitCode::SUCCESS)
        }
        HistoryAction::Render { dir, html, markdown, window, lag, floor, commit_url } => {
            let records = history::load(&dir)?;
            let rule = ethbench::judge::compare::Rule { floor, ..Default::default() };
            let machine =
                records.iter().rev().find(|r| r.skipped.is_none()).map_or(String::new(), |r| r.machine.summary());
            let trend = history::trend::Trend::new(&records, window, lag, &rule);
            let out = Reports { markdown, json: None, bmf: None, iai_baseline: None, iai_groups: Vec::new() };
            out.write(&out.markdown, history::summary::markdown(&trend, &machine))?;
            if let Some(path) = &html {
                let options = history::page::PageOptions { commit_url: commit_url.as_deref(), machine: &machine };
                let page = history::page::html(&trend, &options);
                ethbench::measure::output::write_file(path, page.as_bytes())?;
            }
            let crept: Vec<&str> = trend.creep.crept().iter().map(|c| c.id.as_str()).collect();
            let toolchain = match &trend.creep.toolchain_change {
                Some((before, after)) => {
                    format!(" (compiler changed between the sides, {before} → {after}: not judged as creep)")
                }
                None => String::new(),
            };
            (out.say())(format!(
                "ethbench history: {} runs ({} measured), {} crept{}{toolchain}",
                records.len(),
                trend.measured(),
                crept.len(),
                if crept.is_empty() { String::new() } else { format!(": {}", crept.join(", ")) }
            ));
            Ok(ExitCode::from(u8::from(!crept.is_empty())))
        }
    }
}
