//! Running the `ethbench` binary the way a user does, for the CLI tests.

// Each test crate uses its own part of this.
#![allow(dead_code)]

use std::process::Command;

/// Exit status, stdout and stderr of `ethbench ARGS`.
pub fn ethbench(args: &[&str]) -> (i32, String, String) {
    ethbench_env(args, &[])
}

/// The same, with extra environment variables.
pub fn ethbench_env(args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_ethbench")).args(args).envs(env.iter().copied()).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

/// `ethbench ARGS` exits 2 with exactly one error line containing `needle`, and no panic.
pub fn assert_refused(args: &[&str], needle: &str) {
    let (code, _, stderr) = ethbench(args);
    assert_eq!(code, 2, "{args:?}: {stderr}");
    let errors: Vec<&str> = stderr.lines().filter(|l| l.starts_with("error")).collect();
    assert_eq!(errors.len(), 1, "{args:?}: one error line: {stderr}");
    assert!(errors[0].contains(needle), "{args:?}: expected `{needle}` in {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}
