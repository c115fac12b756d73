//! The precompile group covers every precompile revm's Osaka set has, each
//! on a successful vector, and a vector file with a wrong output is refused
//! in one line. (Every vector's check runs in tests/workloads.rs.)

mod common;

use std::collections::BTreeSet;

use ethbench::data::{self, Fixtures, PrecompileVector};
use ethbench::groups::precompile::pricing;
use revm::precompile::{u64_to_address, Precompiles};

fn vectors() -> Vec<PrecompileVector> {
    Fixtures::open_default().unwrap().json(data::PRECOMPILE_VECTORS).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn every_osaka_precompile_is_priced_and_has_a_successful_vector() {
    let revm: BTreeSet<_> = Precompiles::osaka().addresses().copied().collect();
    let priced: BTreeSet<_> = pricing::OSAKA.iter().map(|p| u64_to_address(p.address)).collect();
    assert_eq!(priced, revm, "the suite's price list and revm's Osaka set name the same addresses");
    let vectors = vectors();
    for p in &pricing::OSAKA {
        let ok = vectors
            .iter()
            .any(|v| v.address == p.address && !v.fails && v.output.as_ref().is_some_and(|o| !o.is_empty()));
        assert!(ok, "{} has no vector with an output", p.name);
    }
}

#[test]
fn bad_inputs_of_the_issue_are_benchmarked() {
    let ids: BTreeSet<String> = vectors().into_iter().filter(|v| v.fails).map(|v| v.id).collect();
    for id in ["bn254_add/invalid_point", "bls12_g1add/wrong_length", "kzg_point_evaluation/invalid_proof"] {
        assert!(ids.contains(id), "{id} is a failing vector");
    }
}

#[test]
fn a_vector_file_with_a_wrong_output_is_refused_in_one_line() {
    let mut vectors = vectors();
    let v = vectors.iter_mut().find(|v| v.id == "sha256/32b").unwrap();
    let mut output = v.output.clone().unwrap().to_vec();
    output[31] ^= 1;
    v.output = Some(output.into());
    let dir = tempfile::tempdir().unwrap();
    common::fixtures_with(dir.path(), data::PRECOMPILE_VECTORS, &serde_json::to_vec(&vectors).unwrap());

    let (code, _, stderr) = common::ethbench_env(
        &["run", "precompile/sha256/32b", "--iters", "1"],
        &[(data::DIR_ENV, dir.path().to_str().unwrap())],
    );
    assert_eq!(code, 2, "{stderr}");
    let errors: Vec<&str> = stderr.lines().filter(|l| l.starts_with("error")).collect();
    assert_eq!(errors.len(), 1, "{stderr}");
    assert!(
        errors[0].contains("precompile/sha256/32b") && errors[0].contains("differs from the vector's at byte 31"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}
