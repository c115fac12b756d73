//! The fixtures are fixed: the generator is deterministic, the committed files
//! are exactly what it produces, and any damage is reported clearly.

use std::path::Path;

use ethbench::data::{self, Fixtures, MANIFEST};
use ethbench::Error;

fn copy_fixtures(to: &Path) {
    let from = Fixtures::default_dir();
    let manifest = Fixtures::open(&from).unwrap_or_else(|e| panic!("{e}"));
    std::fs::copy(from.join(MANIFEST), to.join(MANIFEST)).unwrap();
    for name in manifest.manifest().files.keys() {
        let target = to.join(name);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(from.join(name), target).unwrap();
    }
}

/// `gen-fixtures` with these arguments: its exit status and what it said.
fn gen_fixtures(args: &[&str]) -> (Option<i32>, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gen-fixtures")).args(args).output().unwrap();
    let said = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (out.status.code(), said)
}

#[test]
fn generator_is_deterministic() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    for dir in [&a, &b] {
        let (code, said) = gen_fixtures(&["--out", dir.path().to_str().unwrap()]);
        assert_eq!(code, Some(0), "{said}");
    }
    let written = Fixtures::open(a.path()).unwrap_or_else(|e| panic!("{e}"));
    for name in written.manifest().files.keys().map(String::as_str).chain([MANIFEST]) {
        let da = std::fs::read(a.path().join(name)).unwrap();
        let db = std::fs::read(b.path().join(name)).unwrap();
        assert!(da == db, "{name} differs between two runs of the generator");
    }
}

#[test]
fn committed_fixtures_are_what_the_generator_makes() {
    let (code, said) = gen_fixtures(&["--check"]);
    assert_eq!(code, Some(0), "{said}; run `{}`", data::REGENERATE);
    assert!(said.contains("match the generator"), "{said}");
}

#[test]
fn fixtures_stay_small() {
    let fx = Fixtures::open_default().unwrap();
    let total: u64 = fx.manifest().files.values().map(|e| e.bytes).sum();
    assert!(total < 20 << 20, "fixtures take {total} bytes; keep them well under 20 MB");
}

fn fixture_error(dir: &Path, name: &str) -> String {
    let fx = Fixtures::open(dir).unwrap();
    match fx.bytes(name) {
        Err(e @ Error::Fixture { .. }) => e.to_string(),
        other => panic!("expected a fixture error for {name}, got {other:?}"),
    }
}

#[test]
fn an_edited_fixture_is_named_with_the_fix() {
    let dir = tempfile::tempdir().unwrap();
    copy_fixtures(dir.path());
    let path = dir.path().join(data::BLOCK);
    let mut data = std::fs::read(&path).unwrap();
    data[1000] ^= 0x01;
    std::fs::write(&path, data).unwrap();

    let message = fixture_error(dir.path(), data::BLOCK);
    assert!(message.contains(data::BLOCK), "{message}");
    assert!(message.contains("sha256"), "{message}");
    assert!(message.contains(data::REGENERATE), "{message}");
    assert!(!message.contains('\n'), "one line: {message}");

    // The workloads refuse the corrupted file before decoding anything.
    let fx = Fixtures::open(dir.path()).unwrap();
    let err =
        ethbench::groups::rlp::workloads(&fx, ethbench::Select::ALL).err().expect("a corrupted block must be refused");
    assert!(err.to_string().contains(data::BLOCK), "{err}");
}

#[test]
fn a_truncated_fixture_is_named() {
    let dir = tempfile::tempdir().unwrap();
    copy_fixtures(dir.path());
    let path = dir.path().join(data::RECEIPTS);
    let data = std::fs::read(&path).unwrap();
    std::fs::write(&path, &data[..data.len() / 2]).unwrap();
    let message = fixture_error(dir.path(), data::RECEIPTS);
    assert!(message.contains("truncated"), "{message}");
}

#[test]
fn a_missing_fixture_is_named() {
    let dir = tempfile::tempdir().unwrap();
    copy_fixtures(dir.path());
    std::fs::remove_file(dir.path().join(data::RLP_VALUES)).unwrap();
    let message = fixture_error(dir.path(), data::RLP_VALUES);
    assert!(message.contains("missing") && message.contains(data::RLP_VALUES), "{message}");
}

#[test]
fn a_missing_or_broken_manifest_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let err = Fixtures::open(dir.path()).unwrap_err().to_string();
    assert!(err.contains(MANIFEST) && err.contains(data::REGENERATE), "{err}");

    std::fs::write(dir.path().join(MANIFEST), "{ not json").unwrap();
    let err = Fixtures::open(dir.path()).unwrap_err().to_string();
    assert!(err.contains("not valid"), "{err}");
}

/// Each fixture is decoded once per process: every builder that asks for the
/// block (rlp, trie, recovery, db) gets the same value, also through a clone.
#[test]
fn a_decoded_fixture_is_shared_not_decoded_again() {
    let fx = Fixtures::open_default().unwrap();
    let first = ethbench::data::load_block(&fx).unwrap();
    let again = ethbench::data::load_block(&fx.clone()).unwrap();
    assert!(std::sync::Arc::ptr_eq(&first, &again));
    let state = ethbench::groups::trie::State::load(&fx).unwrap();
    assert!(std::sync::Arc::ptr_eq(&state, &ethbench::groups::trie::State::load(&fx).unwrap()));
    // Another directory is another set of fixtures, decoded on its own.
    let other = Fixtures::open(Fixtures::default_dir()).unwrap();
    assert!(!std::sync::Arc::ptr_eq(&first, &ethbench::data::load_block(&other).unwrap()));
}
