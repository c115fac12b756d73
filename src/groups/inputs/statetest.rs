//! The community's state tests as workloads (`ethbench run|bench statetest
//! PATH…`): GeneralStateTests and execution-spec-tests `state_test` JSON,
//! read with revm's own test types (`revm-statetest-types`). Each post
//! entry is one case: the pre-state is built, the transaction executed and
//! committed under the entry's fork, and the post-state root and logs hash
//! must be the fixture's; an entry with `expectException` must be rejected.
//! Only the execution is timed; the pre-state is rebuilt before each run.

use std::path::{Path, PathBuf};

use alloy_primitives::{keccak256, Log, B256, U256};
use revm::context::result::{EVMError, ExecutionResult};
use revm::context::{BlockEnv, CfgEnv, TxEnv};
use revm::database::{CacheState, EmptyDB, State};
use revm::primitives::hardfork::SpecId;
use revm::{Context, ExecuteCommitEvm, MainBuilder, MainContext};
use revm_statetest_types::{SpecName, TestSuite, TestUnit};

use super::community::{json_files, read_json, runnable, state_root, test_label, Skipped};
use super::input_error;
use crate::measure::error::Error;
use crate::measure::workload::Workload;
use crate::measure::workload::{stateful_case, Hooks, Throughput};

/// What `ethbench run|bench statetest` was given.
pub struct StateTestInput {
    /// Files, or directories read recursively for `*.json`.
    pub paths: Vec<PathBuf>,
    /// Only entries of this fork (`Cancun`, `Prague`, `Osaka`, …).
    pub fork: Option<String>,
    /// Only cases whose id contains this.
    pub filter: Option<String>,
}

/// One post entry, ready to run.
struct Case {
    pre: CacheState,
    state: State<EmptyDB>,
    cfg: CfgEnv,
    block: BlockEnv,
    tx: TxEnv,
}

type Outcome =
    Result<ExecutionResult, EVMError<revm::database_interface::bal::EvmDatabaseError<std::convert::Infallible>>>;

impl Case {
    fn new(pre: CacheState, cfg: CfgEnv, block: BlockEnv, tx: TxEnv) -> Self {
        let state = State::builder().with_cached_prestate(pre.clone()).build();
        Case { pre, state, cfg, block, tx }
    }

    fn rebuild(&mut self) {
        self.state = State::builder().with_cached_prestate(self.pre.clone()).build();
    }

    /// Execute and commit, as a client applies a transaction to its state.
    fn execute(&mut self) -> Outcome {
        let mut evm = Context::mainnet()
            .with_block(self.block.clone())
            .with_cfg(self.cfg.clone())
            .with_db(&mut self.state)
            .build_mainnet();
        evm.transact_commit(self.tx.clone())
    }
}

/// What the fixture says a case must produce.
enum Expected {
    Roots { state: B256, logs: B256 },
    Rejected { exception: String },
}

/// Counts for the report printed before measuring.
#[derive(Default)]
struct Tally {
    files: usize,
    tests: usize,
    cases: usize,
    rejected: usize,
    gas: u64,
    skipped: Skipped,
}

pub fn workloads(input: &StateTestInput) -> Result<(Vec<Box<dyn Workload>>, String), Error> {
    let files = json_files("statetest", &input.paths)?;
    let mut tally = Tally::default();
    let mut all: Vec<Box<dyn Workload>> = Vec::new();
    for file in &files {
        let suite: TestSuite = read_json(file, "state test (GeneralStateTests / `state_test` JSON)")?;
        tally.files += 1;
        let stem = super::stem(file);
        for (name, unit) in &suite.0 {
            tally.tests += 1;
            all.extend(unit_cases(file, &stem, name, unit, input, &mut tally)?);
        }
    }
    let skipped = tally.skipped.describe("entries of forks", "");
    let all = runnable(&input.paths, all, skipped.clone())?;
    let report = format!(
        "statetest: {} files, {} tests, {} cases ran and matched their fixture ({} executed with post root and logs hash equal, {} rejected as expected; {} gas in all); {}",
        tally.files,
        tally.tests,
        tally.cases,
        tally.cases - tally.rejected,
        tally.rejected,
        tally.gas,
        skipped
    );
    Ok((all, report))
}

/// Every runnable post entry of one test, prepared and run once.
fn unit_cases(
    file: &Path,
    stem: &str,
    name: &str,
    unit: &TestUnit,
    input: &StateTestInput,
    tally: &mut Tally,
) -> Result<Vec<Box<dyn Workload>>, Error> {
    let short = test_label(name);
    let mut supported = 0;
    let mut out = Vec::new();
    let pre = unit.state();
    let pre_root = state_root(&pre);
    for (spec, tests) in &unit.post {
        let fork = format!("{spec:?}");
        if matches!(spec, SpecName::Unknown | SpecName::Constantinople) {
            *tally.skipped.unsupported.entry(fork).or_default() += tests.len();
            continue;
        }
        supported += 1;
        if input.fork.as_deref().is_some_and(|f| !f.eq_ignore_ascii_case(&fork)) {
            tally.skipped.other_fork += tests.len();
            continue;
        }
        let mut cfg = CfgEnv::default();
        cfg.chain_id = unit.env.current_chain_id.unwrap_or(U256::ONE).try_into().unwrap_or(1);
        cfg.set_spec_and_mainnet_gas_params(spec.to_spec_id());
        cfg.set_max_blobs_per_tx(
            if cfg.spec().is_enabled_in(SpecId::PRAGUE) && !cfg.spec().is_enabled_in(SpecId::OSAKA) { 9 } else { 6 },
        );
        let block = unit.block_env(&mut cfg);
        for test in tests {
            let i = &test.indexes;
            let id = format!("statetest/{stem}/{short}/{fork}/d{}_g{}_v{}", i.data, i.gas, i.value);
            if input.filter.as_deref().is_some_and(|f| !id.contains(f)) {
                tally.skipped.filtered += 1;
                continue;
            }
            let refuse = |problem: String| input_error(file, format!("{id}: {problem}"));
            let expected = match &test.expect_exception {
                Some(exception) => Expected::Rejected { exception: exception.clone() },
                None => Expected::Roots { state: test.hash, logs: test.logs },
            };
            let tx = match test.tx_env(unit) {
                Ok(tx) => tx,
                // Refused while building the transaction (an unknown key, a malformed field): rejected, as expected.
                Err(_) if test.expect_exception.is_some() => {
                    tally.cases += 1;
                    tally.rejected += 1;
                    continue;
                }
                Err(e) => return Err(refuse(format!("the transaction cannot be built: {e}"))),
            };
            let mut case = Case::new(pre.clone(), cfg.clone(), block.clone(), tx);
            let outcome = case.execute();
            let gas = check(&case, &outcome, &expected, pre_root).map_err(refuse)?;
            tally.cases += 1;
            tally.gas += gas;
            if matches!(expected, Expected::Rejected { .. }) {
                tally.rejected += 1;
            }
            let about = match &expected {
                Expected::Roots { .. } => format!("{name} under {fork}, {gas} gas: post root and logs hash checked"),
                Expected::Rejected { exception } => format!("{name} under {fork}: rejected ({exception})"),
            };
            let hooks = Hooks {
                reset: Some(|c: &mut Case| {
                    c.rebuild();
                    Ok(())
                }),
                notes: None,
            };
            out.push(stateful_case(id, about, Throughput::Gas(gas), case, hooks, Case::execute, move |c, outcome| {
                check(c, &outcome, &expected, pre_root).map(|_| ())
            }));
        }
    }
    if supported == 0 {
        return Err(input_error(
            file,
            format!("at `{name}.post`: no entry for a fork this runner supports (Frontier to Osaka)"),
        ));
    }
    Ok(out)
}

/// Checks a case's outcome against the fixture; returns the gas it used.
fn check(case: &Case, outcome: &Outcome, expected: &Expected, pre_root: B256) -> Result<u64, String> {
    match (expected, outcome) {
        (Expected::Rejected { .. }, Err(_)) => {
            let root = state_root(&case.state.cache);
            if root != pre_root {
                return Err(format!("rejected, but the state changed: root {root}, pre-state root {pre_root}"));
            }
            Ok(0)
        }
        (Expected::Rejected { exception }, Ok(result)) => Err(format!(
            "executed ({} gas), but the fixture expects the transaction to be rejected ({exception})",
            result.tx_gas_used()
        )),
        (Expected::Roots { .. }, Err(e)) => Err(format!("the transaction was rejected: {e}")),
        (Expected::Roots { state, logs }, Ok(result)) => {
            let got_logs = logs_hash(result.logs());
            if got_logs != *logs {
                return Err(format!("logs hash is {got_logs}, the fixture says {logs}"));
            }
            let root = state_root(&case.state.cache);
            if root != *state {
                return Err(format!("post-state root is {root}, the fixture says {state}"));
            }
            Ok(result.tx_gas_used())
        }
    }
}

/// keccak256 of the RLP list of the logs, as state tests hash them.
fn logs_hash(logs: &[Log]) -> B256 {
    let mut out = Vec::new();
    alloy_rlp::encode_list::<_, Log>(logs, &mut out);
    keccak256(out)
}
