//! The state at scale: its roots against the execution specification's,
//! the incremental root against the root from scratch, cold against warm
//! reads, and every fault a cached state can have, each met with one line
//! and nothing left behind.

mod common;

use std::path::Path;
use std::process::Command;
use std::sync::Mutex;
use std::time::Duration;

use ethbench::groups::scale::{build, measure, store, Tier};
use ethbench::{Fixtures, Workload};

/// The tests in this file share the process's I/O counters and the cached tiers: one at a time.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

fn tier_workload(fx: &Fixtures, tier: Tier, case: &str) -> Box<dyn Workload> {
    let id = format!("scale/{case}/{tier}");
    ethbench::groups::scale::tier_workloads(fx, tier)
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .find(|w| w.id() == id)
        .unwrap_or_else(|| panic!("no workload {id}"))
}

#[test]
fn the_smallest_tier_has_the_execution_specifications_roots() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let fx = Fixtures::open_default().unwrap_or_else(|e| panic!("{e}"));
    let spec = ethbench::groups::scale::reference(&fx, Tier(4)).unwrap().expect("1e4 has a reference");
    let db = build::ensure(Tier(4)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((db.manifest.root, db.manifest.root_after_changeset), (spec.root, spec.root_after_changeset));
    assert!(spec.computed_by.contains("ethereum-execution"), "{}", spec.computed_by);
}

#[test]
fn the_incremental_root_is_the_root_from_scratch_and_the_specifications_at_1e5() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let fx = Fixtures::open_default().unwrap_or_else(|e| panic!("{e}"));
    // Each verify compares with the tier's root after the changeset, which
    // opening the tier holds to the specification's (fixtures/scale/1e5.json).
    for case in ["trie/incremental_root", "trie/from_scratch_root"] {
        tier_workload(&fx, Tier(5), case).verify().unwrap_or_else(|e| panic!("{e}"));
    }
}

#[test]
fn cold_runs_read_from_the_block_layer_and_warm_runs_do_not() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    if !ethbench::groups::scale::io::Counters::available() {
        eprintln!("no /proc/self/io here: nothing to check");
        return;
    }
    let fx = Fixtures::open_default().unwrap_or_else(|e| panic!("{e}"));
    let budget = Duration::from_millis(50);
    let mut warm = tier_workload(&fx, Tier(4), "mdbx/read_account");
    let warm = measure::measure(warm.as_mut(), budget).unwrap_or_else(|e| panic!("{e}"));
    let mut cold = tier_workload(&fx, Tier(4), "mdbx/read_account_cold_cache");
    let cold = measure::measure(cold.as_mut(), budget).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(warm.io.read_bytes, 0.0, "warm reads reached the block layer: {warm:?}");
    assert!(
        cold.io.read_bytes > 0.0 && cold.io.major_faults > 0.0,
        "cold reads did not reach the block layer: {cold:?}"
    );
}

#[test]
fn a_batch_commit_leaves_the_state_as_it_found_it() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let fx = Fixtures::open_default().unwrap_or_else(|e| panic!("{e}"));
    let mut w = tier_workload(&fx, Tier(4), "mdbx/commit_1k_nosync");
    w.verify().unwrap_or_else(|e| panic!("{e}"));
    w.time(3).unwrap_or_else(|e| panic!("{e}"));
    assert!(store::left_dirty(&store::tier_dir(Tier(4))), "a live batch-write workload marks the state");
    drop(w);
    build::check(Tier(4)).unwrap_or_else(|e| panic!("the state changed: {e}"));
    let mut root = tier_workload(&fx, Tier(4), "trie/from_scratch_root");
    root.verify().unwrap_or_else(|e| panic!("{e}"));
}

/// A private target directory, so the faults below touch no one's cached tiers.
fn private_target() -> tempfile::TempDir {
    tempfile::Builder::new().prefix("ethbench-scale-test-").tempdir().unwrap()
}

fn run_in(target: &Path, args: &[&str]) -> (i32, String) {
    let (code, _, stderr) = common::ethbench_env(args, &[("CARGO_TARGET_DIR", target.to_str().unwrap())]);
    (code, stderr)
}

/// Something done to a cached state's directory.
type Damage = &'static dyn Fn(&Path);

#[test]
fn a_damaged_cached_state_is_named_and_rebuilt() {
    let target = private_target();
    let read = ["run", "scale/mdbx/read_account/1e4", "--iters", "1"];
    let (code, stderr) = run_in(target.path(), &read);
    assert_eq!(code, 0, "{stderr}");
    let dir = target.path().join("ethbench-scale/1e4");
    let damage: [(&str, Damage); 4] = [
        ("its manifest does not match its checksum", &|dir| {
            let path = dir.join("manifest.json");
            let text = std::fs::read_to_string(&path).unwrap().replace("\"accounts\": 2000", "\"accounts\": 2001");
            std::fs::write(path, text).unwrap();
        }),
        ("its data file is truncated", &|dir| {
            let f = std::fs::OpenOptions::new().write(true).open(dir.join("mdbx.dat")).unwrap();
            f.set_len(4096).unwrap();
        }),
        ("MDBX open", &|dir| {
            // Both meta pages overwritten: MDBX refuses the file.
            use std::io::{Seek, Write};
            let mut f = std::fs::OpenOptions::new().write(true).open(dir.join("mdbx.dat")).unwrap();
            f.seek(std::io::SeekFrom::Start(0)).unwrap();
            f.write_all(&vec![0x5a; 3 * 4096]).unwrap();
        }),
        ("interrupted before it put the old values back", &|dir| {
            std::fs::write(dir.join("writing-commit-durable"), b"").unwrap();
        }),
    ];
    for (why, break_it) in damage {
        break_it(&dir);
        let (code, stderr) = run_in(target.path(), &read);
        assert_eq!(code, 0, "{why}: {stderr}");
        assert!(
            stderr.contains("is unusable (") && stderr.contains(why) && stderr.contains("rebuilding it"),
            "{why}: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

#[test]
fn a_tier_that_does_not_exist_is_refused_in_one_line() {
    common::assert_refused(&["scale", "--tiers", "1e3"], "there is no tier 1e3; the tiers are 1e4 to 1e8");
    common::assert_refused(&["scale", "--max", "ten"], "`ten` is not a tier");
    common::assert_refused(
        &["scale", "--tiers", "1e4", "--only", "nothing/here"],
        "no scale workload matches `nothing/here`",
    );
}

#[test]
fn an_interrupted_build_leaves_nothing_behind() {
    let target = private_target();
    let child = Command::new(env!("CARGO_BIN_EXE_ethbench"))
        .args(["scale", "--tiers", "1e6", "--only", "mdbx/read_account"])
        .env("CARGO_TARGET_DIR", target.path())
        .stderr(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let partial = target.path().join("ethbench-scale/1e6.partial");
    let started = std::time::Instant::now();
    while !partial.exists() && started.elapsed() < Duration::from_secs(30) {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(partial.exists(), "the build never started");
    std::thread::sleep(Duration::from_millis(300));
    // SAFETY: signalling our own child.
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_ne!(out.status.code(), Some(0), "{stderr}");
    let errors: Vec<&str> = stderr.lines().filter(|l| l.starts_with("error")).collect();
    assert_eq!(errors.len(), 1, "{stderr}");
    assert!(errors[0].contains("interrupted; the half-built state was removed"), "{stderr}");
    assert!(!partial.exists() && !target.path().join("ethbench-scale/1e6").exists(), "a half-built state is left");
}
