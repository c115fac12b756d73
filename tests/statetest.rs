//! `ethbench run|bench statetest`: real filled state tests run with every
//! post root and logs hash matching and the expected failure rejected; a
//! wrong root and malformed files are refused in one line, naming the file
//! and the JSON path.

mod common;

use std::path::{Path, PathBuf};

use ethbench::groups::inputs::statetest::{workloads, StateTestInput};

fn dir() -> PathBuf {
    ethbench::Fixtures::default_dir().join("statetests")
}

fn input(paths: Vec<PathBuf>, fork: Option<&str>) -> StateTestInput {
    StateTestInput { paths, fork: fork.map(str::to_owned), filter: None }
}

#[test]
fn the_committed_state_tests_all_match_their_fixtures() {
    let (mut cases, report) = workloads(&input(vec![dir()], None)).unwrap_or_else(|e| panic!("{e}"));
    // 62 post entries in the ten community files, invalidTr's rejected before execution,
    // and the project's own nine, filled by the execution specification.
    assert!(report.contains("11 files, 20 tests, 71 cases ran and matched"), "{report}");
    assert!(report.contains("70 executed with post root and logs hash equal, 1 rejected as expected"), "{report}");
    assert!(report.contains("skipped: 0 entries"), "{report}");
    assert_eq!(cases.len(), 71);
    for case in &mut cases {
        // Verify again from a rebuilt pre-state, as every runner does before timing.
        case.verify().unwrap_or_else(|e| panic!("{e}"));
        assert!(case.id().starts_with("statetest/"), "{}", case.id());
    }
    let ids: Vec<&str> = cases.iter().map(|c| c.id()).collect();
    assert!(ids.contains(&"statetest/sstore_0toXtoY/sstore_0toXtoY/Cancun/d0_g0_v0"), "{ids:?}");
    assert!(ids.contains(&"statetest/ethbench_own/swap/Prague/d0_g0_v0"), "{ids:?}");
    assert!(ids.contains(&"statetest/eest_eip7702__test_eoa_init_as_pointer/test_eoa_init_as_pointer_fork_Osaka-state_test/Osaka/d0_g0_v0"), "{ids:?}");
}

#[test]
fn fork_and_filter_select_cases() {
    // One community entry and the project's own nine.
    let (cases, _) = workloads(&input(vec![dir()], Some("prague"))).unwrap();
    assert_eq!(cases.len(), 10);
    let filtered = StateTestInput { paths: vec![dir()], fork: None, filter: Some("log4/".into()) };
    let (cases, report) = workloads(&filtered).unwrap();
    assert_eq!(cases.len(), 10, "{report}");
}

#[test]
fn the_cli_runs_a_state_test_and_reports_gas() {
    let file = dir().join("log4.json");
    let (code, stdout, stderr) = common::ethbench(&["run", "statetest", file.to_str().unwrap(), "--iters", "2"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("statetest: 1 files, 1 tests, 10 cases ran and matched"), "{stdout}");
    assert!(stdout.contains("statetest/log4/log4/Cancun/d0_g0_v0: 2 iterations"), "{stdout}");
}

/// A copy of a committed state test with `edit` applied to its JSON, in `dir`.
fn edited(dir: &Path, name: &str, edit: impl FnOnce(&mut serde_json::Value)) -> PathBuf {
    common::edited_json(&self::dir().join(name), dir, edit)
}

#[test]
fn a_wrong_post_root_is_refused_in_one_line() {
    let tmp = tempfile::tempdir().unwrap();
    let file = edited(tmp.path(), "delegatecallBasic.json", |j| {
        common::first_test(j)["post"]["Cancun"][0]["hash"] =
            "0x1111111111111111111111111111111111111111111111111111111111111111".into();
    });
    common::assert_refused(
        &["run", "statetest", file.to_str().unwrap()],
        "statetest/delegatecallBasic/delegatecallBasic/Cancun/d0_g0_v0: post-state root is 0x",
    );
}

#[test]
fn bad_state_test_files_are_refused_in_one_line_naming_file_and_path() {
    let tmp = tempfile::tempdir().unwrap();
    let missing = tmp.path().join("missing.json");
    common::assert_refused(&["run", "statetest", missing.to_str().unwrap()], "missing.json: no such file or directory");

    let not_json = tmp.path().join("notes.json");
    std::fs::write(&not_json, "this is not JSON").unwrap();
    common::assert_refused(&["run", "statetest", not_json.to_str().unwrap()], "notes.json: is not JSON");

    let other = ethbench::Fixtures::default_dir().join("precompile/vectors.json");
    common::assert_refused(&["run", "statetest", other.to_str().unwrap()], "vectors.json: is not a valid state test");

    let cases: [(&str, common::Edit, &str); 3] = [
        (
            "no_post.json",
            |j| common::first_test(j)["post"] = serde_json::json!({ "Constantinople": [] }),
            "at `delegatecallBasic.post`: no entry for a fork this runner supports",
        ),
        (
            "odd_hex.json",
            |j| common::first_test(j)["transaction"]["data"][0] = "0xabc".into(),
            "at `delegatecallBasic.transaction.data[0]`",
        ),
        (
            "bad_address.json",
            |j| {
                let pre = common::first_test(j)["pre"].as_object_mut().unwrap();
                let (_, account) = pre.iter().next().map(|(k, v)| (k.clone(), v.clone())).unwrap();
                pre.insert("0x12345".into(), account);
            },
            "at `delegatecallBasic.pre",
        ),
    ];
    for (name, edit, needle) in cases {
        let file = edited(tmp.path(), "delegatecallBasic.json", edit);
        let renamed = tmp.path().join(name);
        std::fs::rename(&file, &renamed).unwrap();
        common::assert_refused(&["run", "statetest", renamed.to_str().unwrap()], needle);
        common::assert_refused(&["run", "statetest", renamed.to_str().unwrap()], name);
    }
}
