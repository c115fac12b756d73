//! The `ethbench` runner as a user meets it: flamegraphs that name the
//! workload's functions, and one-line errors with a non-zero exit.

mod common;

use common::{assert_refused, ethbench};

#[test]
fn flamegraph_names_the_decoder() {
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("decode.svg");
    let (code, stdout, stderr) = ethbench(&[
        "run",
        "rlp/decode/block_200tx",
        "--duration",
        "2",
        "--flame",
        "--flame-output",
        svg.to_str().unwrap(),
        "--flame-frequency",
        "997",
        "--flame-duration",
        "1",
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("per op"), "{stdout}");
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(text.trim_start().starts_with("<?xml") && text.trim_end().ends_with("</svg>"), "not a whole SVG");
    assert!(text.contains("alloy_rlp") || text.contains("decode"), "no decoder frames in the flamegraph");
    assert!(!dir.path().join("decode.svg.tmp").exists());
}

#[test]
fn bad_arguments_are_refused_in_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    let id = "rlp/decode/u64_x1024";
    assert_refused(&["run", "rlp/decode/blok_200tx"], "did you mean rlp/decode/block_200tx");
    assert_refused(&["run", id, "--flame", "--flame-output", d], "is a directory");
    let missing = format!("{d}/no/such/dir/x.svg");
    assert_refused(&["run", id, "--flame", "--flame-output", &missing], "does not exist");
    assert_refused(&["run", id, "--flame", "--flame-frequency", "0"], "not a positive number of samples");
    assert_refused(&["run", id, "--flame", "--flame-frequency", "-5"], "");
    assert_refused(&["run", id, "--flame", "--flame-duration", "0"], "not a positive number of seconds");
    assert_refused(&["run", id, "--duration", "-1"], "");
    assert_refused(&["run", id, "--flame-output", "x.svg"], "--flame");
    if !cfg!(feature = "heap") {
        assert_refused(&["run", id, "--heap"], "--features heap");
        assert_refused(&["list", "--allocs"], "--features heap");
    }
    assert_refused(&["nonsense"], "unrecognized subcommand");
    // A refused subcommand points to its own help, and a missing choice names both options.
    assert_refused(&["run", id, "--iters", "x"], "(see `ethbench run --help`)");
    assert_refused(
        &["floors"],
        "not provided: <--baselines <BASELINES>|--paired <PAIRED>...> (see `ethbench floors --help`)",
    );
    // Nothing half-written was left behind.
    assert_eq!(std::fs::read_dir(d).unwrap().count(), 0);
}

#[test]
fn a_stateful_workload_runs_repeatedly() {
    let (code, stdout, stderr) = ethbench(&["run", "db/batch/accounts_append_10k", "--iters", "3"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("3 iterations"), "{stdout}");
}

#[test]
fn a_closed_pipe_ends_the_listing_and_a_run_quietly() {
    for args in [&["list"][..], &["run", "rlp/decode/u64_x1024", "--iters", "3"][..]] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_ethbench"))
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // The reading end is closed before anything is written, as `ethbench list | head -0` would.
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked") && !stderr.contains("Broken pipe"), "{args:?}: {stderr}");
    }
}

#[test]
fn a_skipped_commit_is_recorded_with_its_reason_and_rendered_as_a_gap() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    assert_refused(&["history", "skip", "--dir", d, "--commit", "abc", "--reason", " "], "--reason must be one line");
    let (code, stdout, stderr) =
        ethbench(&["history", "skip", "--dir", d, "--commit", "0123456789abcdef", "--reason", "the suite failed"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("recorded 0123456789abcdef as skipped"), "{stdout}");
    let html = dir.path().join("index.html");
    let (code, stdout, stderr) =
        ethbench(&["history", "render", "--dir", d, "--html", html.to_str().unwrap(), "--markdown", "-"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("1 runs (0 measured, 1 skipped)"), "{stdout}");
    assert!(stdout.contains("skipped `0123456`"), "{stdout}");
    assert!(std::fs::read_to_string(html).unwrap().contains("the suite failed"));
}

#[test]
fn a_new_users_slips_get_one_line_that_says_what_to_do() {
    let empty = tempfile::tempdir().unwrap();
    let e = empty.path().to_str().unwrap();
    let id = "rlp/decode/u64_x1024";
    assert_refused(&["lst"], "a similar subcommand exists: 'list'");
    assert_refused(&["run", id, "--duraton", "1"], "a similar argument exists: '--duration'");
    assert_refused(&["run", id, "--duration", "-1"], "is not a positive number of seconds");
    assert_refused(&["run", id, "--iters", "-3"], "is not a positive whole number");
    assert_refused(&["run", id, "--iters", "0"], "is not a positive whole number");
    assert_refused(&["compare", "--floor", "-1", "--base", "a", "--new", "b"], "is not a percentage");
    assert_refused(&["run", "statetest", e], "holds no *.json files");
    assert_refused(&["run", "statetest", "fixtures/statetests", "--fork", "Cancunn"], "did you mean Cancun?");
    assert_refused(&["run", "evm/bytecode", "--code", "0x60zz"], "names no file and is not hex");
    assert_refused(&["ab", "--base", "/bin/true", "--head", "/bin/true", "rlp/hash"], "is not an ethbench binary");
    assert_refused(&["worst", "--family", "expp"], "no family `expp`; the families are keccak256, exp,");
    assert_refused(&["worst", "--family", "exp", "--gas", "1000"], "no program fits a budget of 1000 gas");
    assert_refused(&["worst", "--programs", "x.json"], "--from");
    assert_refused(&["worst", "--from", "Cargo.toml", "--programs", "x.json"], "is not a worst-case results file");
    assert_refused(&["worst", "--from", "no/such.json", "--programs", "x.json"], "cannot read no/such.json");
    let (code, stdout, stderr) = ethbench(&["run", "evm/bytecode", "--code", "0x600160005500", "--iters", "10"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("input/evm/inline: 10 iterations"), "{stdout}");
}

#[test]
fn the_version_names_the_commit() {
    let head = std::process::Command::new("git")
        .args(["-C", env!("CARGO_MANIFEST_DIR"), "rev-parse", "HEAD"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned());
    let (code, stdout, stderr) = ethbench(&["--version"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.starts_with(concat!("ethbench ", env!("CARGO_PKG_VERSION"), " (commit ")), "{stdout}");
    if let Some(head) = head {
        assert!(stdout.contains(&head[..12]), "{stdout} does not name {head}");
    }
}

#[test]
fn list_and_run_print_json_when_asked() {
    let (code, plain, stderr) = ethbench(&["list"]);
    assert_eq!(code, 0, "{stderr}");
    let (code, text, stderr) = ethbench(&["list", "--json"]);
    assert_eq!(code, 0, "{stderr}");
    let listed: serde_json::Value = serde_json::from_str(&text).unwrap();
    let ids: Vec<&str> = listed.as_array().unwrap().iter().map(|w| w["id"].as_str().unwrap()).collect();
    let plain_ids: Vec<&str> = plain.lines().map(|l| l.split_whitespace().next().unwrap()).collect();
    assert_eq!(ids, plain_ids);
    let (code, text, stderr) = ethbench(&["run", "rlp/decode/u64_x1024", "--iters", "3", "--json"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("rlp/decode/u64_x1024: 3 iterations"), "the lines for people go to stderr: {stderr}");
    let run: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(run["workloads"][0]["id"], "rlp/decode/u64_x1024");
    assert_eq!(run["workloads"][0]["iterations"], 3);
    assert!(run["workloads"][0]["ns_per_op"].as_f64().unwrap() > 0.0);
    // The id says 1024 integers a run; run and list report the same throughput.
    let throughput = &run["workloads"][0]["throughput"];
    assert_eq!(throughput["elements_and_bytes"]["elements"], 1024, "{throughput}");
    let listed_u64 = listed.as_array().unwrap().iter().find(|w| w["id"] == "rlp/decode/u64_x1024").unwrap();
    assert_eq!(&listed_u64["throughput"], throughput);
    assert!(run["machine"]["cores"].as_u64().unwrap() > 0);
}

#[test]
fn a_full_disk_under_stdout_is_one_line_and_status_2() {
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else { return };
    for args in [&["list"][..], &["run", "rlp/decode/u64_x1024", "--iters", "3"][..]] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_ethbench"))
            .args(args)
            .stdout(full.try_clone().unwrap())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains("error: cannot write to standard output: No space left on device"), "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}
