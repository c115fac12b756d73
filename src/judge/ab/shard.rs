//! Splitting one paired A/B run across runners. Each shard runs both builds
//! on its own share of the benchmarks, so every shard stays paired; the
//! shares are balanced by each benchmark's recorded measuring time
//! (`ci/shard-weights.json`, written from a whole run's `bench_secs`), and
//! `ci/merge-shards.mjs` joins the shards' results without judging again.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;
use std::str::FromStr;

use crate::measure::error::Error;
use crate::measure::workload::Select;

/// Shard `index` of `count`, counted from 1 as people count runners.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: usize,
    pub count: usize,
}

impl FromStr for Shard {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || format!("`{s}` is not a shard: give INDEX/COUNT, such as 1/2");
        let (index, count) = s.split_once('/').ok_or_else(bad)?;
        let (index, count): (usize, usize) = (index.parse().map_err(|_| bad())?, count.parse().map_err(|_| bad())?);
        if count == 0 || index == 0 || index > count {
            return Err(format!("`{s}` is not a shard: INDEX runs from 1 to COUNT"));
        }
        Ok(Shard { index, count })
    }
}

/// The ids of `shard` among the workloads either side has under `filter`:
/// each side's `ethbench list` (which prepares nothing), so a benchmark the
/// head adds or drops is still some shard's, reported new or missing.
pub fn ids_of(
    base: &Path,
    head: &Path,
    filter: Option<&str>,
    weights: &BTreeMap<String, f64>,
    shard: Shard,
) -> Result<(Vec<String>, usize), Error> {
    let select = filter.map_or(Select::ALL, Select::prefix);
    let mut all = BTreeSet::new();
    for (label, binary) in [("base", base), ("head", head)] {
        let mut command = Command::new(binary);
        command.arg("list");
        if let Some(fixtures) = super::driver::fixtures_beside(binary) {
            command.env(crate::data::DIR_ENV, fixtures);
        }
        let failed = |problem: String| Error::Worker {
            side: label.to_owned(),
            problem: format!("`{} list` {problem}", binary.display()),
        };
        let out = command.output().map_err(|e| failed(format!("did not start ({e})")))?;
        if !out.status.success() {
            let why = String::from_utf8_lossy(&out.stderr);
            return Err(failed(format!("failed: {}", why.lines().last().unwrap_or("no message"))));
        }
        let text = String::from_utf8_lossy(&out.stdout);
        all.extend(
            text.lines().filter_map(|l| l.split_whitespace().next()).filter(|id| select.wants(id)).map(str::to_owned),
        );
    }
    let all: Vec<String> = all.into_iter().collect();
    Ok((share(&all, weights, shard), all.len()))
}

/// The ids of `shard`: every id goes, heaviest first, to the shard with the
/// least weight so far (ties to the lower shard, then by id, so every shard
/// computes the same split). An id without a recorded weight weighs the
/// median of those with one.
pub fn share(ids: &[String], weights: &BTreeMap<String, f64>, shard: Shard) -> Vec<String> {
    let mut known: Vec<f64> = ids.iter().filter_map(|id| weights.get(id).copied()).collect();
    let fallback = if known.is_empty() { 1.0 } else { crate::measure::stats::median(&mut known) };
    let mut weighted: Vec<(f64, &String)> =
        ids.iter().map(|id| (weights.get(id).copied().unwrap_or(fallback).max(0.0), id)).collect();
    weighted.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    let mut load = vec![0.0f64; shard.count];
    let mut mine = Vec::new();
    for (weight, id) in weighted {
        let lightest = (0..shard.count).min_by(|&a, &b| load[a].total_cmp(&load[b]).then(a.cmp(&b))).unwrap_or(0);
        load[lightest] += weight;
        if lightest + 1 == shard.index {
            mine.push(id.clone());
        }
    }
    mine.sort();
    mine
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("g/b{i:02}")).collect()
    }

    #[test]
    fn the_shards_cover_every_id_once_and_balance_the_weight() {
        let all = ids(11);
        let weights: BTreeMap<String, f64> =
            all.iter().enumerate().map(|(i, id)| (id.clone(), 1.0 + i as f64)).collect();
        let shares: Vec<Vec<String>> = (1..=3).map(|index| share(&all, &weights, Shard { index, count: 3 })).collect();
        let mut joined: Vec<String> = shares.concat();
        joined.sort();
        assert_eq!(joined, all);
        let totals: Vec<f64> = shares.iter().map(|s| s.iter().map(|id| weights[id]).sum()).collect();
        let (low, high) = totals.iter().fold((f64::MAX, 0.0f64), |(l, h), t| (l.min(*t), h.max(*t)));
        assert!(high - low <= 11.0, "{totals:?}");
    }

    #[test]
    fn an_unweighed_id_weighs_the_median_and_a_bad_shard_is_refused() {
        let all = ids(4);
        let weights = BTreeMap::from([(all[0].clone(), 10.0), (all[1].clone(), 10.0)]);
        let first = share(&all, &weights, Shard { index: 1, count: 2 });
        assert_eq!(first.len(), 2, "{first:?}");
        assert_eq!("2/2".parse::<Shard>(), Ok(Shard { index: 2, count: 2 }));
        for bad in ["0/2", "3/2", "1", "a/b", "1/0"] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
    }
}
