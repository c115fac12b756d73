//! What the state-test and blockchain-test runners share: finding the
//! files, reading a JSON format with one-line errors that name the JSON
//! path, a test's name as an id part, and the state root of revm's cache
//! computed with alloy-trie (the suite's own computation, not revm's).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use alloy_primitives::{keccak256, B256, U256};
use alloy_trie::TrieAccount;
use revm::database::CacheState;
use serde::de::DeserializeOwned;

use super::input_error;
use crate::measure::error::Error;
use crate::measure::workload::Workload;

/// The forks of execution-spec-tests' `post` keys and blockchain tests'
/// `network`, besides transitions (`CancunToPragueAtTime15k`).
const FORKS: [&str; 21] = [
    "Frontier",
    "Homestead",
    "EIP150",
    "EIP158",
    "Byzantium",
    "Constantinople",
    "ConstantinopleFix",
    "Petersburg",
    "Istanbul",
    "MuirGlacier",
    "Berlin",
    "London",
    "ArrowGlacier",
    "GrayGlacier",
    "Merge",
    "Paris",
    "Shanghai",
    "Cancun",
    "Prague",
    "Osaka",
    "Amsterdam",
];

/// `--fork`'s value, checked: a fork or a transition between two, in any
/// case, or a one-line error with the closest fork.
pub fn check_fork(fork: &str) -> Result<(), Error> {
    let known = |name: &str| FORKS.iter().any(|f| f.eq_ignore_ascii_case(name));
    let transition = fork.split_once("To").is_some_and(|(from, to)| {
        known(from) && FORKS.iter().any(|f| to.len() >= f.len() && to[..f.len()].eq_ignore_ascii_case(f))
    });
    if known(fork) || transition {
        return Ok(());
    }
    let closest = FORKS.iter().min_by_key(|f| strsim::levenshtein(&fork.to_ascii_lowercase(), &f.to_ascii_lowercase()));
    Err(Error::Input {
        path: "--fork".into(),
        problem: format!(
            "`{fork}` is not a fork{}; forks are {}",
            closest.map_or(String::new(), |c| format!(" (did you mean {c}?)")),
            FORKS.join(", ")
        ),
    })
}

/// `paths`' JSON files: files as given, directories read recursively for `*.json`, sorted.
pub(crate) fn json_files(command: &str, paths: &[PathBuf]) -> Result<Vec<PathBuf>, Error> {
    if paths.is_empty() {
        return Err(Error::Input {
            path: command.into(),
            problem: format!("give one or more {command} files or directories: `ethbench run {command} PATH…`"),
        });
    }
    let mut files = Vec::new();
    for path in paths {
        let before = files.len();
        collect_json(path, &mut files)?;
        if files.len() == before {
            return Err(input_error(
                path,
                format!("holds no *.json files (directories are read recursively); give {command} files"),
            ));
        }
    }
    Ok(files)
}

fn collect_json(path: &Path, out: &mut Vec<PathBuf>) -> Result<(), Error> {
    let meta = std::fs::metadata(path).map_err(|e| {
        input_error(
            path,
            match e.kind() {
                std::io::ErrorKind::NotFound => "no such file or directory".to_owned(),
                _ => format!("cannot read it: {e}"),
            },
        )
    })?;
    if meta.is_file() {
        out.push(path.to_owned());
        return Ok(());
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
        .map_err(|e| input_error(path, format!("cannot list it: {e}")))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for entry in entries {
        if entry.is_dir() || entry.extension().is_some_and(|e| e == "json") {
            collect_json(&entry, out)?;
        }
    }
    Ok(())
}

/// The file in `format`, or one line naming the file and the JSON path that is wrong.
pub(crate) fn read_json<T: DeserializeOwned>(file: &Path, format: &str) -> Result<T, Error> {
    let text = std::fs::read_to_string(file).map_err(|e| input_error(file, format!("cannot read it: {e}")))?;
    let mut json = serde_json::Deserializer::from_str(&text);
    serde_path_to_error::deserialize(&mut json).map_err(|e| {
        let at = e.path().to_string();
        let inner = e.into_inner();
        let problem = if inner.is_syntax() || inner.is_eof() {
            format!("is not JSON: {inner}")
        } else {
            format!("is not a valid {format}: at `{at}`: {inner}")
        };
        input_error(file, problem)
    })
}

/// A test's name as an id part: execution-spec-tests names (`path.py::test_x[fork_Prague-state_test]`)
/// keep what follows the last `::`; every character outside `[A-Za-z0-9_.-]` becomes `_`.
pub(crate) fn test_label(name: &str) -> String {
    let tail = name.rsplit("::").next().unwrap_or(name);
    let label: String =
        tail.chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.') { c } else { '_' }).collect();
    label.trim_matches('_').to_owned()
}

/// The state root of every account in the cache, with alloy-trie.
pub fn state_root(cache: &CacheState) -> B256 {
    let mut leaves: Vec<(B256, TrieAccount)> = cache
        .trie_account()
        .into_iter()
        .map(|(address, account)| {
            let mut slots: Vec<(B256, U256)> = account
                .storage
                .iter()
                .filter(|(_, v)| !v.is_zero())
                .map(|(k, v)| (keccak256(B256::from(*k)), *v))
                .collect();
            slots.sort_unstable_by_key(|(k, _)| *k);
            let account = TrieAccount {
                nonce: account.info.nonce,
                balance: account.info.balance,
                storage_root: crate::groups::trie::storage_root(&slots),
                code_hash: account.info.code_hash,
            };
            (keccak256(address), account)
        })
        .collect();
    leaves.sort_unstable_by_key(|(k, _)| *k);
    crate::groups::trie::account_root(&leaves)
}

/// The workloads, refused when none is left (`skipped` says why) or when two
/// share an id (two files of one stem in different directories).
pub(crate) fn runnable(
    paths: &[PathBuf],
    all: Vec<Box<dyn Workload>>,
    skipped: String,
) -> Result<Vec<Box<dyn Workload>>, Error> {
    let refuse = |problem: String| Err(Error::Input { path: paths[0].clone(), problem });
    if all.is_empty() {
        return refuse(format!("nothing left to run: {skipped}"));
    }
    let mut ids: Vec<&str> = all.iter().map(|w| w.id()).collect();
    ids.sort_unstable();
    if let Some(pair) = ids.windows(2).find(|p| p[0] == p[1]) {
        return refuse(format!("two workloads share the id {}; rename one of their files", pair[0]));
    }
    Ok(all)
}

/// What a runner left out, and why, for its report line.
#[derive(Default)]
pub struct Skipped {
    /// Per fork or network this runner does not run.
    pub unsupported: BTreeMap<String, usize>,
    /// Left out by `--fork`.
    pub other_fork: usize,
    /// Left out by `--filter`.
    pub filtered: usize,
}

impl Skipped {
    /// `skipped: N <unsupported> this runner does not support (Fork n, …), N of other forks (--fork), N [<filtered>] not matching --filter`.
    pub fn describe(&self, unsupported: &str, filtered: &str) -> String {
        let total: usize = self.unsupported.values().sum();
        let forks: Vec<String> = self.unsupported.iter().map(|(f, n)| format!("{f} {n}")).collect();
        let filtered = if filtered.is_empty() { String::new() } else { format!(" {filtered}") };
        format!(
            "skipped: {total} {unsupported} this runner does not support{}, {} of other forks (--fork), {}{filtered} not matching --filter",
            if forks.is_empty() { String::new() } else { format!(" ({})", forks.join(", ")) },
            self.other_fork,
            self.filtered
        )
    }
}
