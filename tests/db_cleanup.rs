//! Temporary databases go away with their workloads, also when a benchmark
//! panics. Its own test binary, so no other test's databases are counted.

use ethbench::groups::db::{SyncMode, TempDb};
use ethbench::Fixtures;

fn our_dirs() -> usize {
    let prefix = format!("ethbench-mdbx-{}-", std::process::id());
    std::fs::read_dir(std::env::temp_dir())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(&prefix))
        .count()
}

#[test]
fn databases_are_removed_with_their_workloads_and_on_panic() {
    let fx = Fixtures::open_default().unwrap_or_else(|e| panic!("{e}"));
    let mut all = ethbench::groups::db::workloads(&fx, ethbench::Select::ALL).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(our_dirs(), 0, "listing db workloads opens no database");
    for w in &mut all {
        w.verify().unwrap_or_else(|e| panic!("{e}"));
    }
    assert!(our_dirs() > 0, "db workloads create their databases under the temp dir when first used");
    drop(all);
    assert_eq!(our_dirs(), 0, "a temporary database outlived its workload");

    let mut path = None;
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let db = TempDb::open(SyncMode::Durable).unwrap();
        path = Some(db.path().to_owned());
        panic!("a benchmark failing half way");
    }));
    assert!(result.is_err());
    let path = path.expect("the database was opened");
    assert!(!path.exists(), "{} survived a panic", path.display());
}
