//! The paired A/B verdict on synthetic pairs shaped like this machine's
//! noise, and the worker protocol on a real workload.

mod common;

use ethbench::judge::ab::worker;
use ethbench::judge::compare::decide::{is_open, judge, paired_ratio};
use ethbench::judge::compare::{Rule, Verdict};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha20Rng;

const PAIRS: usize = 8;
const ROUNDS: usize = 6;

fn rule() -> Rule {
    ethbench::judge::ab::Options::default().rule
}

/// `ROUNDS` rounds of `PAIRS` pairs around 1000 ns: both chunks of a pair
/// share the machine's state (a one-second slow window hits both), each
/// chunk has its own small noise, and `head` maps a base time to the head's.
fn rounds(seed: u64, burst_both: f64, mut head: impl FnMut(&mut ChaCha20Rng, f64) -> f64) -> Vec<Vec<(f64, f64)>> {
    let mut rng = ChaCha20Rng::seed_from_u64(seed);
    let noise = |rng: &mut ChaCha20Rng| 1.0 + 0.01 * ((0..12).map(|_| rng.random::<f64>()).sum::<f64>() - 6.0);
    (0..ROUNDS)
        .map(|_| {
            (0..PAIRS)
                .map(|_| {
                    let window = if rng.random_bool(burst_both) { 1.0 + rng.random_range(0.3..0.6) } else { 1.0 };
                    let base = 1000.0 * window * noise(&mut rng);
                    let head_base = 1000.0 * window * noise(&mut rng);
                    (base, head(&mut rng, head_base))
                })
                .collect()
        })
        .collect()
}

fn verdict(rounds: &[Vec<(f64, f64)>]) -> (Verdict, f64, f64, f64) {
    let rule = rule();
    let mut rng = ChaCha20Rng::seed_from_u64(7);
    let (ratio, low, high) = paired_ratio(rounds, &rule, &mut rng);
    (judge(low, high, rule.floor), ratio, low, high)
}

#[test]
fn slow_windows_that_hit_both_sides_are_not_a_change() {
    for seed in 0..20 {
        let r = rounds(seed, 0.3, |_, t| t);
        let (v, ratio, low, high) = verdict(&r);
        assert_eq!(v, Verdict::Unchanged, "seed {seed}: {ratio} [{low}, {high}]");
    }
}

#[test]
fn a_uniform_five_percent_slowdown_is_caught_through_slow_windows() {
    for seed in 0..20 {
        let r = rounds(seed, 0.3, |_, t| t * 1.05);
        let (v, ratio, low, high) = verdict(&r);
        assert_eq!(v, Verdict::Regressed, "seed {seed}: {ratio} [{low}, {high}]");
        assert!((ratio - 1.05).abs() < 0.01, "seed {seed}: {ratio}");
    }
}

#[test]
fn an_amortized_cost_counts_in_full() {
    // A slow workload, one run per chunk: every tenth chunk pays for two
    // runs, +10% on average and invisible to a median.
    for seed in 0..20 {
        let mut chunk = seed;
        let r = rounds(seed, 0.1, |_, t| {
            chunk += 1;
            if chunk % 10 == 0 {
                t * 2.0
            } else {
                t
            }
        });
        let (v, ratio, low, high) = verdict(&r);
        assert!(ratio > 1.04, "seed {seed}: {ratio}");
        assert_ne!(v, Verdict::Improved, "seed {seed}: {ratio} [{low}, {high}]");
        if v == Verdict::Regressed {
            assert!(low > 1.0 + rule().floor);
        }
    }
    // With a chunk of ten or more runs, every chunk carries the cost.
    for seed in 0..20 {
        let r = rounds(seed, 0.1, |_, t| t * 1.1);
        assert_eq!(verdict(&r).0, Verdict::Regressed, "seed {seed}");
    }
}

#[test]
fn a_slow_window_on_one_side_only_does_not_decide() {
    // A pair that straddles the edge of a slow window: one chunk in it, the other not.
    for seed in 0..20 {
        let r = rounds(seed, 0.0, |rng, t| if rng.random_bool(0.05) { t * 1.5 } else { t });
        let (v, ratio, low, high) = verdict(&r);
        assert_eq!(v, Verdict::Unchanged, "seed {seed}: {ratio} [{low}, {high}]");
    }
}

#[test]
fn a_layout_offset_that_changes_from_round_to_round_widens_the_interval() {
    // Each round's processes draw their own memory layout: a constant offset
    // within a round, a different one in the next. That is not a change.
    for seed in 0..20 {
        let mut rng = ChaCha20Rng::seed_from_u64(1000 + seed);
        let offsets: Vec<f64> = (0..ROUNDS).map(|_| 1.0 + rng.random_range(-0.08..0.08)).collect();
        let mut r = rounds(seed, 0.1, |_, t| t);
        for (round, offset) in r.iter_mut().zip(&offsets) {
            round.iter_mut().for_each(|p| p.1 *= offset);
        }
        let (v, ratio, low, high) = verdict(&r);
        let mean_offset = offsets.iter().map(|o| o.ln()).sum::<f64>() / ROUNDS as f64;
        assert!(
            v == Verdict::Unchanged || (mean_offset.exp() - 1.0).abs() > rule().floor,
            "seed {seed}: {ratio} [{low}, {high}] from offsets {offsets:?}"
        );
    }
    // The same offset in every round is what a real change looks like.
    let r: Vec<Vec<(f64, f64)>> = rounds(3, 0.1, |_, t| t)
        .into_iter()
        .map(|round| round.into_iter().map(|(b, h)| (b, h * 1.08)).collect())
        .collect();
    assert_eq!(verdict(&r).0, Verdict::Regressed);
}

#[test]
fn an_interval_straddling_the_floor_stays_open() {
    let same = |low, high| is_open((low, high), (low, high), 0.02);
    assert!(same(0.99, 1.03));
    assert!(!same(0.99, 1.01), "wholly inside the floor: decided, no change");
    assert!(!same(1.03, 1.06), "wholly beyond: decided, regressed");
    // A change must clear the verdict's (wider) interval; the settling one does not call it.
    assert!(is_open((1.01, 1.08), (1.03, 1.06), 0.02), "only the looser interval clears the floor");
    // No change may be settled on the looser interval.
    assert!(!is_open((0.97, 1.03), (0.985, 1.015), 0.02));
    assert_eq!(judge(1.03, 1.06, 0.02), Verdict::Regressed);
    assert_eq!(judge(0.90, 0.97, 0.02), Verdict::Improved);
}

#[test]
fn one_pair_claims_nothing_and_one_round_claims_little() {
    let (v, _, low, high) = verdict(&[vec![(1000.0, 2000.0)]]);
    assert_eq!((v, low, high), (Verdict::Unchanged, 0.0, f64::INFINITY));
    // One round: the interval comes from its pairs alone.
    let one = rounds(5, 0.0, |_, t| t).remove(0);
    let (v, _, low, high) = verdict(&[one]);
    assert_eq!(v, Verdict::Unchanged);
    assert!(low < 1.0 && high > 1.0);
}

/// Talk to a worker in memory: requests in, replies out.
fn converse(requests: &str) -> Vec<String> {
    let mut out = Vec::new();
    worker::serve(requests.as_bytes(), &mut out).unwrap();
    String::from_utf8(out).unwrap().lines().map(str::to_owned).collect()
}

#[test]
fn the_worker_loads_verified_workloads_and_times_them() {
    let replies = converse("hello\npad 4096\nload rlp/reject/overflow\ntime 0 1000\ntime 9 1\nbogus\nquit\ntime 0 1\n");
    assert!(replies[0].starts_with(&format!("ethbench-ab {} ", worker::PROTOCOL)), "{replies:?}");
    assert_eq!(replies[1], "ok");
    let workload: Vec<&str> = replies[2].split_whitespace().collect();
    assert_eq!(&workload[..3], ["workload", "0", "rlp/reject/overflow_u64"], "{replies:?}");
    assert!(worker::decode_throughput(workload[4]).is_some());
    assert_eq!(replies[3], "loaded 1");
    let ns: u64 = replies[4].parse().unwrap();
    assert!(ns > 0);
    assert!(replies[5].starts_with("error no loaded workload #9"));
    assert!(replies[6].starts_with("error unknown request"));
    assert_eq!(replies.len(), 7, "nothing is answered after quit");
}

#[test]
fn a_normal_build_refuses_every_plant() {
    let replies = converse("load rlp/reject/overflow\nplant 0 uniform:5\n");
    if cfg!(feature = "plant") {
        assert_eq!(replies[2], "ok");
    } else {
        assert!(replies[2].starts_with("error this build has no planted changes"), "{replies:?}");
    }
}

#[test]
fn the_worker_refuses_an_unknown_prefix_in_one_line() {
    let replies = converse("load no/such/workload\n");
    assert_eq!(replies.len(), 1);
    assert!(replies[0].starts_with("error no workload id starts with"), "{replies:?}");
}

#[test]
fn one_round_in_a_bad_layout_does_not_decide() {
    // Seen in an A/A here: one fresh process drew a layout that made a
    // workload 2.2× slower for its whole life. Seven rounds, one of them so.
    for seed in 0..20 {
        let mut r = rounds(seed, 0.1, |_, t| t);
        r.push(r[0].iter().map(|(b, h)| (*b, h * 2.2)).collect());
        let (v, ratio, low, high) = verdict(&r);
        assert_eq!(v, Verdict::Unchanged, "seed {seed}: {ratio} [{low}, {high}]");
    }
}

#[test]
fn an_amortized_plant_starts_each_round_at_its_drawn_phase() {
    use ethbench::judge::ab::plant::Plant;
    let plant = Plant::Amortized { every: 10, runs: 0 };
    assert_eq!(plant.with_phase(13), Plant::Amortized { every: 10, runs: 3 });
    assert_eq!(Plant::Uniform(0.05).with_phase(13), Plant::Uniform(0.05));
}

#[test]
fn each_benchmark_is_judged_against_its_calibrated_floor_and_the_others_against_the_fixed_one() {
    let dir = tempfile::tempdir().unwrap();
    let floors = dir.path().join("paired-floors.json");
    let calibrated = serde_json::json!({
        "written_by": "test", "date": "2026-12-06", "machine": "test", "runs": ["a.json"],
        "margin": 2.0, "minimum": 0.01,
        "floors": { "rlp/decode/u64_x1024": 0.013 }, "needed": {}
    });
    std::fs::write(&floors, calibrated.to_string()).unwrap();
    let json = dir.path().join("comparison.json");
    let bin = env!("CARGO_BIN_EXE_ethbench");
    let ran = |floors: &str| {
        let (code, _, stderr) = common::ethbench(&[
            "ab",
            "--base",
            bin,
            "--head",
            bin,
            "--quiet",
            "--max-rounds",
            "2",
            "--calibrated-floors",
            floors,
            "--json",
            json.to_str().unwrap(),
            "rlp/decode/u64_x1024,rlp/encode/u64_x1024",
        ]);
        assert!(code == 0 || code == 1, "{stderr}");
        let out: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
        let floor_of = |id: &str| {
            out["benchmarks"].as_array().unwrap().iter().find(|b| b["id"] == id).unwrap()["floor"].as_f64().unwrap()
        };
        (floor_of("rlp/decode/u64_x1024"), floor_of("rlp/encode/u64_x1024"), out["rule"]["calibrated_from"].clone())
    };
    let (calibrated_one, other, from) = ran(floors.to_str().unwrap());
    assert_eq!((calibrated_one, other), (0.013, 0.02));
    assert_eq!(from, floors.to_str().unwrap());
    assert_eq!(ran("none").0, 0.02, "`none` judges by the fixed floor");
    common::assert_refused(
        &["ab", "--base", bin, "--head", bin, "--calibrated-floors", "no/such.json", "rlp/encode/u64_x1024"],
        "no/such.json: no such file",
    );
}

#[test]
fn a_counting_job_times_nothing_and_judges_the_counts() {
    let dir = tempfile::tempdir().unwrap();
    // One twin's summary, as iai-callgrind writes it under the target directory.
    let twin = dir.path().join("iai/ethbench/rlp_iai/group/rlp.encode__mainnet_22431084");
    std::fs::create_dir_all(&twin).unwrap();
    let summary = serde_json::json!({
        "id": "encode__mainnet_22431084",
        "module_path": "rlp_iai::group::rlp",
        "profiles": [{"tool": "Callgrind", "summaries": {"total": {"summary": {"Callgrind": {
            "Ir": {"diffs": null, "metrics": {"Left": {"Int": 123_456}}}
        }}}}}]
    });
    std::fs::write(twin.join("summary.json"), summary.to_string()).unwrap();
    let (json, markdown) = (dir.path().join("comparison.json"), dir.path().join("comment.md"));
    let me = env!("CARGO_BIN_EXE_ethbench");
    let baseline = concat!(env!("CARGO_MANIFEST_DIR"), "/ci/iai-baseline.json");
    let args = ["ab", "--counts-only", "--base", me, "--head", me, "--iai-baseline", baseline, "--iai-groups", "rlp"];
    let (code, _, stderr) = common::ethbench_env(
        &[&args[..], &["--json", json.to_str().unwrap(), "--markdown", markdown.to_str().unwrap(), "--quiet"]].concat(),
        &[("CARGO_TARGET_DIR", dir.path().to_str().unwrap())],
    );
    // 1 where the committed counts were taken on this CPU (the count fell far), else 0: shown, not judged.
    assert!(code == 0 || code == 1, "{stderr}");
    let report: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    assert_eq!(report["benchmarks"].as_array().unwrap().len(), 0, "nothing is timed");
    let comment = std::fs::read_to_string(&markdown).unwrap();
    assert!(comment.contains("this run timed nothing") && !comment.contains("All 0 benchmarks"), "{comment}");
    let rows = report["instruction_counts"]["rows"].as_array().unwrap();
    assert!(rows.len() > 1 && rows.iter().all(|r| r["id"].as_str().unwrap().starts_with("rlp/")), "{rows:?}");
    let counted: Vec<_> = rows.iter().filter(|r| r["status"] != "not_run").collect();
    assert_eq!(counted.len(), 1, "{rows:?}");
    assert_eq!(
        (counted[0]["id"].as_str(), counted[0]["new"].as_u64()),
        (Some("rlp/encode/mainnet_22431084"), Some(123_456))
    );
    common::assert_refused(&["ab", "--counts-only", "--base", me, "--head", me], "--iai-baseline");
}
