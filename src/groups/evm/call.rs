//! The workload constructor of every one-transaction EVM workload: a call
//! on a fresh overlay of the shared pre-state, reset untimed before each run.

use std::sync::Arc;

use alloy_primitives::Address;
use revm::context::TxEnv;
use revm::MainBuilder;

use super::exec::{self, expect_success, transact, Evm, Installed, Outcome, OutcomeCheck};
use super::world::World;

/// One transaction, executed again and again, each time on a fresh overlay.
/// The EVM is built at the first reset or run, so that declaring a call
/// costs nothing (and does not build the world's database).
pub(crate) struct Call {
    world: Arc<World>,
    evm: Option<Evm>,
    code: Vec<(Address, Installed)>,
    pub tx: TxEnv,
}

impl Call {
    /// `tx` on the shared state with `code` installed over it.
    pub fn new(world: &Arc<World>, code: Vec<(Address, Installed)>, tx: TxEnv) -> Self {
        Self { world: world.clone(), evm: None, code, tx }
    }

    /// Untimed, before each run.
    pub fn reset(&mut self) {
        let overlay = self.world.overlay(&self.code);
        match &mut self.evm {
            Some(evm) => exec::reset(evm, overlay),
            None => self.evm = Some(exec::context_for_gas(overlay, 0, self.tx.gas_limit).build_mainnet()),
        }
    }

    pub fn run(&mut self) -> Result<Outcome, String> {
        if self.evm.is_none() {
            self.reset();
        }
        transact(self.evm.as_mut().expect("built above"), &self.tx)
    }
}

/// A call and the check of its outcome: the input of every one-transaction EVM workload.
pub struct CheckedCall {
    call: Call,
    check: OutcomeCheck,
}

impl CheckedCall {
    fn reset(&mut self) -> Result<(), String> {
        self.call.reset();
        Ok(())
    }

    fn run(&mut self) -> Result<Outcome, String> {
        self.call.run()
    }

    fn verify(&self, outcome: Result<Outcome, String>) -> Result<(), String> {
        let outcome = outcome?;
        expect_success(&outcome.result)?;
        (self.check)(&outcome)
    }
}

/// The workload timing `call`, each run on a fresh overlay; `verify` needs
/// success and whatever `check` asks of the outcome.
pub(crate) fn call_case(
    id: impl Into<String>,
    about: impl Into<String>,
    throughput: crate::measure::workload::Throughput,
    call: Call,
    check: OutcomeCheck,
) -> Box<dyn crate::measure::workload::Workload> {
    crate::measure::workload::stateful_case(
        id,
        about,
        throughput,
        CheckedCall { call, check },
        crate::measure::workload::Hooks { reset: Some(CheckedCall::reset), notes: None },
        CheckedCall::run,
        CheckedCall::verify,
    )
}
