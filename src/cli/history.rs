//! `ethbench history`: record a baseline of main, and render the history with its creep check.

use ethbench::error::exit_with;

use super::args::{HistoryAction, Reports};

pub fn history(action: HistoryAction) -> i32 {
    use ethbench::history;
    match action {
        HistoryAction::Record { dir, commit, baseline, criterion_dir } => {
            let criterion = criterion_dir.unwrap_or_else(ethbench::bench::criterion_dir);
            let record =
                history::Record::from_baseline(&criterion, &baseline, &commit).unwrap_or_else(|e| exit_with(&e));
            let path = dir.join(record.file_name());
            let json = serde_json::to_vec(&record).expect("records serialize");
            ethbench::output::write_file(&path, &json).unwrap_or_else(|e| exit_with(&e));
            println!("recorded {} benchmarks of {commit} in {}", record.benchmarks.len(), path.display());
            0
        }
        HistoryAction::Render { dir, html, markdown, window, lag, floor } => {
            let records = history::load(&dir).unwrap_or_else(|e| exit_with(&e));
            let rule = ethbench::compare::Rule { floor, ..Default::default() };
            let creep = history::creep(&records, window, lag, &rule);
            let out = Reports { markdown, json: None, bmf: None, iai_baseline: None };
            out.write(&out.markdown, history::markdown(&records, &creep, window, lag));
            if let Some(path) = &html {
                let page = history::html(&records, &creep).unwrap_or_else(|e| exit_with(&e));
                ethbench::output::write_file(path, page.as_bytes()).unwrap_or_else(|e| exit_with(&e));
            }
            let crept: Vec<&str> = creep
                .iter()
                .filter(|c| c.verdict == ethbench::compare::Verdict::Regressed)
                .map(|c| c.id.as_str())
                .collect();
            (out.say())(format!(
                "ethbench history: {} runs, {} crept{}",
                records.len(),
                crept.len(),
                if crept.is_empty() { String::new() } else { format!(": {}", crept.join(", ")) }
            ));
            i32::from(!crept.is_empty())
        }
    }
}
