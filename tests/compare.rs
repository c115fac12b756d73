//! The comparator on synthetic Criterion output: it calls what is real,
//! stays silent on noise, and refuses unusable input with one line and exit 2.

mod common;

use std::path::Path;
use std::process::Command;

use ethbench::judge::compare::{self, Rule, Verdict};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha20Rng;
use serde_json::json;

/// Per-iteration times around `ns` with multiplicative noise of `sd` (relative)
/// and, like a shared machine, an occasional 2× slow sample.
fn samples(rng: &mut ChaCha20Rng, ns: f64, sd: f64, n: usize) -> Vec<f64> {
    (0..n)
        .map(|_| {
            let z: f64 = (0..12).map(|_| rng.random::<f64>()).sum::<f64>() - 6.0; // ~N(0, 1)
            let burst = if rng.random_bool(0.04) { 2.0 } else { 1.0 };
            ns * (1.0 + sd * z) * burst
        })
        .collect()
}

fn write_bench(dir: &Path, id: &str, baseline: &str, per_iteration: &[f64], throughput: serde_json::Value) {
    let d = dir.join(id.replace('/', "_")).join(baseline);
    std::fs::create_dir_all(&d).unwrap();
    let iters: Vec<f64> = (1..=per_iteration.len()).map(|i| i as f64).collect();
    let times: Vec<f64> = per_iteration.iter().zip(&iters).map(|(t, n)| t * n).collect();
    let estimate = |v: f64| {
        json!({ "point_estimate": v, "standard_error": 0.0,
        "confidence_interval": { "confidence_level": 0.95, "lower_bound": v, "upper_bound": v } })
    };
    let mean = per_iteration.iter().sum::<f64>() / per_iteration.len() as f64;
    std::fs::write(
        d.join("benchmark.json"),
        json!({ "group_id": "g", "function_id": "f", "value_str": null, "throughput": throughput,
                "full_id": id, "directory_name": id, "title": id })
        .to_string(),
    )
    .unwrap();
    std::fs::write(d.join("estimates.json"), json!({ "mean": estimate(mean), "median": estimate(mean) }).to_string())
        .unwrap();
    std::fs::write(
        d.join("sample.json"),
        json!({ "sampling_mode": "Linear", "iters": iters, "times": times }).to_string(),
    )
    .unwrap();
}

const BYTES: fn() -> serde_json::Value = || json!({ "Bytes": 1000 });

/// Two single-run baselines, `base` and `new`, of one benchmark scaled by `factor`.
fn one_run_each(dir: &Path, factor: f64, seed: u64) {
    let mut rng = ChaCha20Rng::seed_from_u64(seed);
    write_bench(dir, "g/case/x", "base", &samples(&mut rng, 1000.0, 0.01, 50), BYTES());
    write_bench(dir, "g/case/x", "new", &samples(&mut rng, 1000.0 * factor, 0.01, 50), BYTES());
}

fn verdict(dir: &Path) -> Verdict {
    let base = compare::Results::read(dir).unwrap().side("base", "base").unwrap();
    let new = compare::Results::read(dir).unwrap().side("new", "new").unwrap();
    compare::check_comparable(&base, &new).unwrap();
    compare::compare(&base.rounds, &new.rounds, &Rule::default())[0].verdict
}

#[test]
fn identical_distributions_are_no_change() {
    for seed in 0..20 {
        let dir = tempfile::tempdir().unwrap();
        one_run_each(dir.path(), 1.0, seed);
        assert_eq!(verdict(dir.path()), Verdict::Unchanged, "seed {seed}");
    }
}

/// One run per side cannot tell a change from drift between the runs: a
/// change beyond the floor is a suspect, slower or faster, never a regression.
#[test]
fn five_percent_slower_or_faster_in_one_run_each_is_a_suspect() {
    for seed in 0..10 {
        for factor in [1.05, 0.95] {
            let dir = tempfile::tempdir().unwrap();
            one_run_each(dir.path(), factor, seed);
            assert_eq!(verdict(dir.path()), Verdict::Suspect, "seed {seed}, ×{factor}");
        }
    }
}

#[test]
fn a_change_inside_the_floor_is_not_reported() {
    let dir = tempfile::tempdir().unwrap();
    one_run_each(dir.path(), 1.015, 7);
    assert_eq!(verdict(dir.path()), Verdict::Unchanged);
}

/// Drift between rounds hits both sides of an interleaved pair alike: paired
/// rounds stay silent where comparing two single runs would cry wolf.
#[test]
fn paired_rounds_cancel_drift() {
    let dir = tempfile::tempdir().unwrap();
    let mut rng = ChaCha20Rng::seed_from_u64(42);
    for (round, drift) in [1.0, 1.12, 0.93, 1.07, 0.97, 1.10].into_iter().enumerate() {
        write_bench(
            dir.path(),
            "g/case/x",
            &format!("ab-base-{round}"),
            &samples(&mut rng, 1000.0 * drift, 0.01, 50),
            BYTES(),
        );
        write_bench(
            dir.path(),
            "g/case/x",
            &format!("ab-head-{round}"),
            &samples(&mut rng, 1000.0 * drift, 0.01, 50),
            BYTES(),
        );
    }
    let base = compare::Results::read(dir.path()).unwrap().side("base", "ab-base-*").unwrap();
    let new = compare::Results::read(dir.path()).unwrap().side("new", "ab-head-*").unwrap();
    assert_eq!(base.rounds.len(), 6);
    let c = &compare::compare(&base.rounds, &new.rounds, &Rule::default())[0];
    assert_eq!(c.verdict, Verdict::Unchanged, "{c:?}");

    // A base run from the slow round against a head run from a fast one: a false alarm.
    let a = compare::Results::read(dir.path()).unwrap().side("base", "ab-base-2").unwrap();
    let b = compare::Results::read(dir.path()).unwrap().side("new", "ab-head-1").unwrap();
    assert_ne!(compare::compare(&a.rounds, &b.rounds, &Rule::default())[0].verdict, Verdict::Unchanged);
}

#[test]
fn per_prefix_floors_take_the_longest_match() {
    let rule = Rule { floors: vec![("db".into(), 0.10), ("db/read".into(), 0.05)], ..Rule::default() };
    assert_eq!(rule.floor_for("db/read/point_random_1k"), 0.05);
    assert_eq!(rule.floor_for("db/batch/append_10k"), 0.10);
    assert_eq!(rule.floor_for("rlp/decode/u64_x1024"), 0.03);
}

fn ethbench(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_ethbench"))
        .arg("compare")
        .arg("--criterion-dir")
        .arg(dir)
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

fn assert_unusable(dir: &Path, args: &[&str], needle: &str) {
    let (code, _, stderr) = ethbench(dir, args);
    assert_eq!(code, 2, "exit status for {needle}: {stderr}");
    assert!(stderr.contains(needle), "expected `{needle}` in: {stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "one line: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn the_binary_calls_a_one_run_change_a_suspect_exits_0_and_writes_the_comment() {
    let dir = tempfile::tempdir().unwrap();
    one_run_each(dir.path(), 1.08, 3);
    let md = dir.path().join("comment.md");
    let js = dir.path().join("out.json");
    let bmf = dir.path().join("bmf.json");
    let (code, stdout, _) = ethbench(
        dir.path(),
        &[
            "--base",
            "base",
            "--new",
            "new",
            "--markdown",
            md.to_str().unwrap(),
            "--json",
            js.to_str().unwrap(),
            "--bmf",
            bmf.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains("suspect      g/case/x +"), "{stdout}");
    // The committed per-benchmark floors (ci/unpaired-floors.json) do not know `g/case/x`: it gets the 3% floor.
    assert!(stdout.contains("One run per side knows nothing of drift"), "{stdout}");
    assert!(stdout.contains("calibrated per benchmark") && stdout.contains("3% where not calibrated"), "{stdout}");
    let (_, plain, _) = ethbench(dir.path(), &["--base", "base", "--new", "new", "--calibrated-floors", "none"]);
    assert!(plain.contains("beyond the 3% floor is a suspect"), "{plain}");
    let comment = std::fs::read_to_string(&md).unwrap();
    assert!(comment.starts_with(ethbench::judge::report::COMMENT_MARKER));
    assert!(comment.contains("0 regressed, 0 improved, 1 suspect (1 slower, 0 faster"), "{comment}");
    assert!(comment.contains("suspect (slower)") && comment.contains("compare --confirm"), "{comment}");
    assert!(comment.contains("| ±3.0% | suspect (slower) |"), "each row shows its floor: {comment}");
    assert!(comment.contains("<details>"));
    let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&js).unwrap()).unwrap();
    assert_eq!((json["summary"]["regressed"].as_u64(), json["summary"]["suspects"].as_u64()), (Some(0), Some(1)));
    let bmf: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&bmf).unwrap()).unwrap();
    assert!(bmf["g/case/x"]["latency"]["value"].as_f64().unwrap() > 1000.0);

    // `--gate` fails on a slower suspect; `--confirm` needs the baseline's commit, and says what to run without it.
    let (code, stdout, _) = ethbench(dir.path(), &["--base", "base", "--new", "new", "--gate"]);
    assert_eq!(code, compare::EXIT_REGRESSED, "{stdout}");
    assert_unusable(
        dir.path(),
        &["--base", "base", "--new", "new", "--confirm"],
        "run `ci/compare.sh <the commit it was measured at> g/case/x`",
    );
}

/// With several runs per side (unpaired rounds) a change beyond the interval is a regression, as before.
#[test]
fn several_runs_per_side_judge_a_regression() {
    let dir = tempfile::tempdir().unwrap();
    let mut rng = ChaCha20Rng::seed_from_u64(21);
    for i in 0..3 {
        write_bench(dir.path(), "g/case/x", &format!("b-{i}"), &samples(&mut rng, 1000.0, 0.01, 50), BYTES());
        write_bench(dir.path(), "g/case/x", &format!("n-{i}"), &samples(&mut rng, 1100.0, 0.01, 50), BYTES());
    }
    let results = compare::Results::read(dir.path()).unwrap();
    let (base, new) = (results.side("base", "b-*").unwrap(), results.side("new", "n-*").unwrap());
    assert_eq!(compare::compare(&base.rounds, &new.rounds, &Rule::default())[0].verdict, Verdict::Regressed);
}

#[test]
fn benchmarks_on_one_side_only_are_new_or_missing() {
    let dir = tempfile::tempdir().unwrap();
    one_run_each(dir.path(), 1.0, 5);
    let mut rng = ChaCha20Rng::seed_from_u64(9);
    write_bench(dir.path(), "g/case/only_new", "new", &samples(&mut rng, 10.0, 0.01, 20), BYTES());
    write_bench(dir.path(), "g/case/only_base", "base", &samples(&mut rng, 10.0, 0.01, 20), BYTES());
    let (code, stdout, stderr) = ethbench(dir.path(), &["--base", "base", "--new", "new"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("0 regressed, 0 improved, 1 unchanged, 1 new, 1 missing"), "{stdout}");
}

#[test]
fn unusable_input_is_one_line_and_exit_2() {
    let missing = tempfile::tempdir().unwrap();
    let gone = missing.path().join("nothing-here");
    let (code, _, stderr) = ethbench(&gone, &["--base", "main"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("no Criterion results") && stderr.contains("cargo bench"), "{stderr}");

    // A CI cache restored `base/` directories with nothing in them.
    let dir = tempfile::tempdir().unwrap();
    one_run_each(dir.path(), 1.0, 1);
    std::fs::create_dir_all(dir.path().join("g_case_y").join("main")).unwrap();
    assert_unusable(dir.path(), &["--base", "main"], "baseline `main` has no results");

    assert_unusable(dir.path(), &["--base", "nope"], "no Criterion baseline matches `nope`");

    let sample = dir.path().join("g_case_x").join("new").join("sample.json");
    let text = std::fs::read_to_string(&sample).unwrap();
    std::fs::write(&sample, &text[..text.len() / 2]).unwrap();
    assert_unusable(dir.path(), &["--base", "base"], "not Criterion's JSON");

    std::fs::write(&sample, json!({ "iters": [1.0, 2.0], "times": [0.0, 5.0] }).to_string()).unwrap();
    assert_unusable(dir.path(), &["--base", "base"], "zero, negative or NaN");

    let dir = tempfile::tempdir().unwrap();
    one_run_each(dir.path(), 1.0, 4);
    assert_unusable(dir.path(), &["--base", "base", "--markdown", "/proc/no/such/dir/comment.md"], "cannot write");
    assert_unusable(dir.path(), &["--base", "base", "--json", dir.path().to_str().unwrap()], "is a directory");
}

#[test]
fn a_benchmark_whose_work_changed_is_incomparable_and_the_rest_is_judged() {
    let dir = tempfile::tempdir().unwrap();
    let mut rng = ChaCha20Rng::seed_from_u64(2);
    write_bench(dir.path(), "g/case/x", "base", &samples(&mut rng, 10.0, 0.01, 20), json!({ "Bytes": 1000 }));
    write_bench(dir.path(), "g/case/x", "new", &samples(&mut rng, 10.0, 0.01, 20), json!({ "Elements": 1000 }));
    write_bench(dir.path(), "g/case/y", "base", &samples(&mut rng, 10.0, 0.01, 50), BYTES());
    write_bench(dir.path(), "g/case/y", "new", &samples(&mut rng, 20.0, 0.01, 50), BYTES());
    let base = compare::Results::read(dir.path()).unwrap().side("base", "base").unwrap();
    let new = compare::Results::read(dir.path()).unwrap().side("new", "new").unwrap();
    compare::check_comparable(&base, &new).unwrap();
    let c = compare::compare(&base.rounds, &new.rounds, &Rule::default());
    assert_eq!(c[0].id, "g/case/x");
    assert_eq!(c[0].verdict, Verdict::Incomparable);
    assert_eq!(c[0].ratio, None);
    assert_eq!(c[1].verdict, Verdict::Suspect, "{:?}", c[1]);
}

#[test]
fn the_comment_names_the_statistic_behind_the_verdict_and_shows_times_that_agree_with_it() {
    use ethbench::judge::compare::decide::Statistic;
    use ethbench::judge::report::Header;
    let dir = tempfile::tempdir().unwrap();
    let mut rng = ChaCha20Rng::seed_from_u64(11);
    // Two rounds on one side and three on the other: not paired.
    for (i, scale) in [1.0, 1.02].into_iter().enumerate() {
        write_bench(dir.path(), "g/case/x", &format!("b-{i}"), &samples(&mut rng, 1000.0 * scale, 0.01, 50), BYTES());
    }
    for (i, scale) in [1.10, 1.12, 1.11].into_iter().enumerate() {
        write_bench(dir.path(), "g/case/x", &format!("n-{i}"), &samples(&mut rng, 1000.0 * scale, 0.01, 50), BYTES());
    }
    let results = compare::Results::read(dir.path()).unwrap();
    let (base, new) = (results.side("base", "b-*").unwrap(), results.side("new", "n-*").unwrap());
    let comparisons = compare::compare(&base.rounds, &new.rounds, &Rule::default());
    let c = &comparisons[0];
    assert_eq!(c.statistic, Some(Statistic::UnpairedRounds { base: 2, new: 3 }));
    let shown = c.new_ns.unwrap() / c.base_ns.unwrap();
    assert!(
        (shown / c.ratio.unwrap() - 1.0).abs() < 1e-9,
        "shown times give {shown}, the verdict's ratio is {:?}",
        c.ratio
    );
    let header = Header::of_baselines(&base, &new, &comparisons);
    assert!(header.method.contains("(2 rounds against 3)"), "{}", header.method);
    assert!(header.method.contains("not measured in interleaved rounds"), "{}", header.method);
}

#[test]
fn calibrated_floors_are_twice_the_largest_a_a_change_and_at_least_one_percent() {
    let dir = tempfile::tempdir().unwrap();
    let mut rng = ChaCha20Rng::seed_from_u64(7);
    // Three "A/A" runs of two benchmarks: one drifts by up to 6% between runs, one does not.
    for (run, drift) in [("aa1", 1.0), ("aa2", 1.06), ("aa3", 0.99)] {
        write_bench(dir.path(), "g/case/drifting", run, &samples(&mut rng, 1000.0 * drift, 0.002, 50), BYTES());
        write_bench(dir.path(), "g/case/steady", run, &samples(&mut rng, 1000.0, 0.002, 50), BYTES());
    }
    let runs: Vec<(String, Vec<ethbench::measure::results::Measurement>)> = ["aa1", "aa2", "aa3"]
        .iter()
        .map(|b| (b.to_string(), ethbench::measure::results::read_baseline(dir.path(), b).unwrap()))
        .collect();
    let floors = compare::calibrate::derive(&runs, compare::calibrate::MINIMUM, "test").unwrap();
    let drifting = floors.floors["g/case/drifting"];
    assert!((0.10..0.15).contains(&drifting), "about twice 7%: {drifting}");
    assert_eq!(floors.floors["g/case/steady"], compare::calibrate::MINIMUM);
    // The comparison takes them: the drifting benchmark's 6% is within its floor, unchanged.
    let rule = Rule { calibrated: floors.floors.clone(), ..Rule::default() };
    let verdicts = compare::compare(&[runs[0].1.clone()], &[runs[1].1.clone()], &rule);
    let drift = verdicts.iter().find(|c| c.id == "g/case/drifting").unwrap();
    assert_eq!((drift.verdict, drift.floor), (Verdict::Unchanged, drifting));
    assert!(
        compare::calibrate::derive(&runs[..1], compare::calibrate::MINIMUM, "test").is_err(),
        "one run has no pairs"
    );
}

#[test]
fn report_prints_a_baseline_as_markdown_or_json_and_its_kinds_keep_their_old_names() {
    let dir = tempfile::tempdir().unwrap();
    // One benchmark at 1000 ns per iteration, every sample alike: the written estimate is exactly 1000.
    write_bench(dir.path(), "g/case/x", "base", &[1000.0; 20], BYTES());
    write_bench(dir.path(), "h/case/y", "base", &[1000.0; 20], BYTES());
    let d = dir.path().to_str().unwrap();
    let report = |args: &[&str]| common::ethbench(&[&["report", "--criterion-dir", d][..], args].concat());
    let (code, md, stderr) = report(&["g/", "--baseline", "base"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(md.contains("| `g/case/x` | 1.00 µs") && !md.contains("h/case/y"), "{md}");
    let (code, text, stderr) = report(&["g/", "--baseline", "base", "--json"]);
    assert_eq!(code, 0, "{stderr}");
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(json["baseline"], "base");
    assert_eq!(json["benchmarks"].as_array().unwrap().len(), 1);
    assert_eq!(json["benchmarks"][0]["id"], "g/case/x");
    assert_eq!(json["benchmarks"][0]["median_ns"], 1000.0);
    assert_eq!(json["benchmarks"][0]["throughput"], json!({ "bytes": 1000 }));
    // A kind is a subcommand; its old top-level name still runs it.
    for kind in [&["report", "opcodes"][..], &["opcodes"][..]] {
        let args = [kind, &["--baseline", "base", "--criterion-dir", d][..]].concat();
        common::assert_refused(&args, "no EVM program results in this baseline");
    }
}
