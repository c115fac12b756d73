//! The worst-case search: every family's programs run and spend the budget,
//! the search keeps the slowest points of a family, and the gas map ranks
//! cases slowest first against the target.

use ethbench::judge::pricing::{self, Kind, Timed};
use ethbench::judge::worst::{families, search};
use ethbench::{Fixtures, Throughput};

const SMALL: search::Options = search::Options { gas: 1_000_000, seconds: 0.05, keep: 2, refine: 1 };

#[test]
fn every_variant_runs_and_spends_most_of_its_budget() {
    let fx = Fixtures::open_default().unwrap();
    let gas = 1_000_000;
    for family in families::all(&fx).unwrap() {
        for variant in &family.variants {
            let size = variant.grid[0];
            let p = search::prepare(&family, variant, size, gas)
                .unwrap_or_else(|why| panic!("{} {} {size}: {why}", family.name, variant.name));
            // The loop stops with at most its margin (twice one iteration's gas) left.
            let left = gas - p.call.gas;
            assert!(left <= p.margin, "{} {}: {left} gas left, margin {}", family.name, variant.name, p.margin);
            assert!(p.call.gas > gas / 2, "{} {}: spent only {}", family.name, variant.name, p.call.gas);
        }
    }
}

#[test]
fn the_search_keeps_a_familys_slowest_points_in_order() {
    let fx = Fixtures::open_default().unwrap();
    let family = families::all(&fx).unwrap().into_iter().find(|f| f.name == "exp").unwrap();
    let mut seen = 0;
    let (points, skipped, evaluated) = search::family(&family, &SMALL, &mut |_| seen += 1).unwrap();
    assert!(skipped.is_empty(), "{skipped:?}");
    assert_eq!(seen, evaluated);
    assert!(evaluated >= family.variants[0].grid.len(), "the whole grid, then refinement");
    assert_eq!(points.len(), 2);
    assert!(points[0].mgas.0 <= points[1].mgas.0);
}

#[test]
fn a_point_whose_iteration_is_too_dear_for_the_budget_is_skipped_with_the_reason() {
    let fx = Fixtures::open_default().unwrap();
    let family = families::all(&fx).unwrap().into_iter().find(|f| f.name == "modexp").unwrap();
    let why = search::prepare(&family, &family.variants[1], 1024, 300_000).err().expect("refused");
    assert!(why.contains("too much of a 300000 budget") || why.contains("one iteration fails"), "{why}");
}

#[test]
fn the_gas_map_ranks_slowest_first_and_marks_the_target() {
    let fx = Fixtures::open_default().unwrap();
    let world = ethbench::groups::evm::world::World::load(&fx).unwrap();
    // Times made up for the ranking alone: 1 µs a call against the vectors' gas.
    let timed = vec![
        Timed {
            id: "precompile/p256verify/valid".into(),
            ns: (200_000.0, 190_000.0, 210_000.0),
            throughput: Some(Throughput::Elements(6900)),
        },
        Timed {
            id: "precompile/sha256/32b".into(),
            ns: (100.0, 90.0, 110.0),
            // A fresh run's workload says Gas where Criterion's record says elements: both count.
            throughput: Some(Throughput::Gas(72)),
        },
    ];
    let cases = pricing::cases(&world, &fx, &timed).unwrap();
    assert_eq!(cases.len(), 2);
    assert_eq!(cases[0].id, "precompile/p256verify/valid");
    assert_eq!(cases[0].kind, Kind::Precompile);
    // 6900 gas in 200 µs: 34.5 MGas/s, its interval from the time's.
    assert!((cases[0].mgas.0 - 34.5).abs() < 0.01);
    assert!((cases[0].mgas.1 - 6900.0 / 210_000.0 * 1e3).abs() < 1e-9);
    assert!(pricing::surely_below(&cases[0], 60.0));
    assert!(pricing::shortfall(&cases[1], 60.0).is_none());
}

#[test]
fn a_hand_written_case_is_matched_to_its_family_by_name() {
    use ethbench::judge::worst::report::family_of;
    assert_eq!(
        family_of("blocktest/benchmark_v0_0_7__keccak_max_permutations__Osaka_1M/x/Osaka/block1"),
        Some("keccak256")
    );
    assert_eq!(
        family_of("blocktest/benchmark_v0_0_7__sha256__Osaka_1M/test_sha256/Osaka/block1"),
        Some("hash_precompiles")
    );
    assert_eq!(family_of("blocktest/bls12_g1msm_max/x"), Some("bls12_g1msm"));
    assert_eq!(family_of("blocktest/empty_block/x"), None);
    // Every family a name can lead to is one the search has.
    let fx = Fixtures::open_default().unwrap();
    let names: Vec<&str> = families::all(&fx).unwrap().iter().map(|f| f.name).collect();
    for id in
        ["keccak", "sha256", "modexp", "blake2", "pairing", "bls12_pairing", "p256", "copy", "log", "extcode", "sload"]
    {
        let family = family_of(id).unwrap();
        assert!(names.contains(&family), "{id} → {family}");
    }
    // The suite's own worst-case fixtures name their family exactly.
    assert_eq!(names, ethbench::judge::worst::report::FAMILIES);
    assert_eq!(
        family_of("blocktest/blockchain_tests/ethbench_worst_exp__exp_8_exponent_bytes/Osaka/block1"),
        Some("exp")
    );
    assert_eq!(family_of("statetest/state_tests/ethbench_worst_cold_account__call/Osaka/0"), Some("cold_account"));
}

/// The committed worst-case fixtures, filled by the execution specification:
/// one state test and one one-block blockchain test per family, every one
/// run by the suite's runners and matching what the specification computed.
#[test]
fn the_worst_case_fixtures_cover_every_family_and_verify() {
    use ethbench::groups::inputs::{blocktest, statetest};
    let dir = Fixtures::default_dir().join("worstcase");
    let families = ethbench::judge::worst::report::FAMILIES;
    let input = statetest::StateTestInput { paths: vec![dir.join("state_tests.json")], fork: None, filter: None };
    let (mut cases, report) = statetest::workloads(&input).unwrap_or_else(|e| panic!("{e}"));
    assert!(report.contains("15 executed with post root and logs hash equal"), "{report}");
    let input = blocktest::BlockTestInput { paths: vec![dir.join("blockchain_tests.json")], fork: None, filter: None };
    let (mut blocks, report) = blocktest::workloads(&input).unwrap_or_else(|e| panic!("{e}"));
    assert!(report.contains("15 blocks matched their fixture"), "{report}");
    for (kind, ids) in [
        ("state", cases.iter().map(|c| c.id().to_owned()).collect::<Vec<_>>()),
        ("blockchain", blocks.iter().map(|b| b.id().to_owned()).collect()),
    ] {
        let mut named: Vec<&str> = ids.iter().filter_map(|id| family_of_fixture(id)).collect();
        named.sort_unstable();
        let mut all = families.to_vec();
        all.sort_unstable();
        assert_eq!(named, all, "{kind} tests: {ids:?}");
    }
    for case in cases.iter_mut().chain(blocks.iter_mut()) {
        case.verify().unwrap_or_else(|e| panic!("{e}"));
        let Throughput::Gas(gas) = case.throughput() else { panic!("{}: gas throughput", case.id()) };
        assert!(gas > 50_000, "{}: {gas} gas", case.id());
    }
}

fn family_of_fixture(id: &str) -> Option<&'static str> {
    ethbench::judge::worst::report::family_of(id).filter(|_| id.contains("ethbench_worst_"))
}

#[test]
fn each_familys_winner_is_remade_to_spend_the_fixtures_budget() {
    use ethbench::judge::worst::fixture;
    let fx = Fixtures::open_default().unwrap();
    let all = families::all(&fx).unwrap();
    let mut worst = std::collections::BTreeMap::new();
    for name in ["keccak256", "blake2f"] {
        let family = all.iter().find(|f| f.name == name).unwrap();
        let options = search::Options { gas: 30_000_000, seconds: 0.02, keep: 1, refine: 0 };
        let big = *family.variants[0].grid.last().unwrap();
        let point = search::evaluate(family, &family.variants[0], big, &options).unwrap().unwrap();
        worst.insert(name.to_owned(), vec![point]);
    }
    let programs = fixture::programs(&all, &worst, fixture::FIXTURE_GAS).unwrap();
    let blake = programs.iter().find(|p| p.family == "blake2f").unwrap();
    // BLAKE2F's budget is its own, and its rounds are halved until one call fits it.
    assert_eq!(blake.gas_limit, fixture::BLAKE2F_FIXTURE_GAS);
    assert!(blake.size < blake.searched.size && blake.size > 0, "{blake:?}");
    let keccak = programs.iter().find(|p| p.family == "keccak256").unwrap();
    assert_eq!((keccak.gas_limit, keccak.size), (fixture::FIXTURE_GAS, keccak.searched.size));
}
