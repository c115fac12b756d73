//! Running the `ethbench` binary the way a user does, for the CLI tests,
//! and fixtures edited the way a user might edit them.

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

/// Copy the fixtures to `dir`, replacing the file `name` with `data` and
/// recording its checksum, as if it had been committed that way.
pub fn fixtures_with(dir: &std::path::Path, name: &str, data: &[u8]) {
    let from = ethbench::Fixtures::default_dir();
    let fx = ethbench::Fixtures::open(&from).unwrap();
    let mut manifest = fx.manifest().clone();
    for file in manifest.files.keys() {
        std::fs::create_dir_all(dir.join(file).parent().unwrap()).unwrap();
        std::fs::copy(from.join(file), dir.join(file)).unwrap();
    }
    std::fs::write(dir.join(name), data).unwrap();
    let entry = manifest.files.get_mut(name).unwrap();
    entry.sha256 = ethbench::data::sha256_hex(data);
    entry.bytes = data.len() as u64;
    std::fs::write(dir.join(ethbench::data::MANIFEST), serde_json::to_vec_pretty(&manifest).unwrap()).unwrap();
}

/// A copy of the JSON file `from` with `edit` applied, in `dir`, under the same name.
pub fn edited_json(
    from: &std::path::Path,
    dir: &std::path::Path,
    edit: impl FnOnce(&mut serde_json::Value),
) -> std::path::PathBuf {
    let mut json: serde_json::Value = serde_json::from_slice(&std::fs::read(from).unwrap()).unwrap();
    edit(&mut json);
    let path = dir.join(from.file_name().unwrap());
    std::fs::write(&path, serde_json::to_vec_pretty(&json).unwrap()).unwrap();
    path
}

/// A change to a test fixture's JSON.
pub type Edit = fn(&mut serde_json::Value);

/// The first test of a state-test or blockchain-test file.
pub fn first_test(json: &mut serde_json::Value) -> &mut serde_json::Value {
    json.as_object_mut().unwrap().values_mut().next().unwrap()
}
