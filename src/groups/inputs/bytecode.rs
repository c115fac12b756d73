//! `input/evm/<file>`: the user's runtime bytecode, installed at a fixed
//! address in an otherwise empty state and called by a funded account, as
//! revm's own `revme bench` does. Only a call that succeeds is timed.

use std::path::PathBuf;
use std::sync::Arc;

use alloy_primitives::{Bytes, U256};
use revm::bytecode::opcode::OpCode;
use revm::context::result::ExecutionResult;
use revm::context::TxEnv;
use revm::inspector::{InspectEvm, Inspector};
use revm::interpreter::interpreter_types::{InputsTr, Jumps};
use revm::interpreter::{Interpreter, InterpreterTypes};
use revm::MainBuilder;

use super::input_error;
use crate::groups::evm::call::{self, Call};
use crate::groups::evm::exec::{self, Installed, Outcome, OutcomeCheck, GAS_LIMIT, PROGRAM};
use crate::groups::evm::world::World;
use crate::measure::error::Error;
use crate::measure::workload::Workload;
use crate::measure::workload::{expect_eq, Throughput};

/// What `--code`, `--calldata`, `--gas-limit` and `--value` say.
#[derive(Debug, Clone)]
pub struct BytecodeInput {
    pub code: PathBuf,
    pub calldata: String,
    pub gas_limit: Option<u64>,
    pub value: Option<U256>,
}

/// The workload `input/evm/<file stem>` (`input/evm/inline` for `--code 0x…`),
/// after one checked call, and what that call did.
pub fn workload(input: &BytecodeInput) -> Result<(Box<dyn Workload>, String), Error> {
    let super::UserBytes { bytes: code, name, .. } = super::user_bytes(&input.code, "--code")?;
    let calldata = super::parse_hex(&input.calldata)
        .map_err(|e| Error::Input { path: PathBuf::from("--calldata"), problem: e })?;
    let gas_limit = input.gas_limit.unwrap_or(GAS_LIMIT);
    if gas_limit == 0 {
        return Err(Error::Input { path: PathBuf::from("--gas-limit"), problem: "must be above 0".into() });
    }
    let id = format!("input/evm/{name}");
    let about = format!("call of the runtime bytecode in {}", input.code.display());
    let checked = checked_call(&id, &about, code.clone(), calldata, gas_limit, input.value.unwrap_or_default())
        .map_err(|problem| input_error(&input.code, problem))?;
    let mut report = format!(
        "{id}: {} bytes of code, {} bytes of calldata; the call succeeds, uses {} gas and returns {} bytes",
        code.len(),
        checked.calldata_len,
        checked.gas,
        checked.output_len
    );
    if gas_limit > exec::TX_GAS_CAP {
        report += &format!(
            "\n{id}: --gas-limit {gas_limit} is above Osaka's per-transaction cap of {} (EIP-7825); the cap is lifted for this call, as revm's own benches do",
            exec::TX_GAS_CAP
        );
    }
    Ok((checked.workload, report))
}

/// A call of `code` that succeeded once, as a workload that repeats it.
pub struct CheckedCall {
    pub workload: Box<dyn Workload>,
    /// Gas the call spent, intrinsic gas included.
    pub gas: u64,
    pub output_len: usize,
    pub calldata_len: usize,
}

/// Run `code` once at [`PROGRAM`] in an empty state, called with `calldata`
/// and `gas_limit` (above Osaka's cap, the cap is lifted for the call, as
/// revm's own benches do); refuse a call that fails, with where it stopped.
/// Every timed run must repeat the first: the same gas and output.
pub(crate) fn checked_call(
    id: &str,
    about: &str,
    code: Vec<u8>,
    calldata: Vec<u8>,
    gas_limit: u64,
    value: U256,
) -> Result<CheckedCall, String> {
    let world = Arc::new(World::empty());
    let calldata_len = calldata.len();
    let mut tx = exec::call_tx(PROGRAM, Bytes::from(calldata), Vec::new());
    tx.gas_limit = gas_limit;
    tx.value = value;
    let installed = vec![(PROGRAM, Installed::new(code))];
    let mut call = Call::new(&world, installed.clone(), tx.clone());
    let outcome = call.run().map_err(|e| e.to_string())?;
    if !outcome.result.is_success() {
        return Err(diagnose(&world, installed, tx, &outcome.result));
    }
    let gas = outcome.result.gas().total_gas_spent();
    let want_output = outcome.result.output().cloned();
    let output_len = want_output.as_ref().map_or(0, |o| o.len());
    let check: OutcomeCheck = Box::new(move |outcome: &Outcome| {
        expect_eq("gas", outcome.result.gas().total_gas_spent(), gas)?;
        expect_eq("output", outcome.result.output().cloned(), want_output.clone())
    });
    let about = format!("{about} ({gas} gas; elements = gas)");
    let workload = call::call_case(id.to_owned(), about, Throughput::Gas(gas), call, check);
    Ok(CheckedCall { workload, gas, output_len, calldata_len })
}

/// Where revm stopped: the last instruction it stepped into.
#[derive(Debug, Default)]
struct LastStep {
    pc: usize,
    opcode: u8,
    in_program: bool,
}

impl<CTX, INTR: InterpreterTypes> Inspector<CTX, INTR> for LastStep {
    fn step(&mut self, interp: &mut Interpreter<INTR>, _context: &mut CTX) {
        self.pc = interp.bytecode.pc();
        self.opcode = interp.bytecode.opcode();
        self.in_program = interp.input.target_address() == PROGRAM;
    }
}

/// One line on why the call failed: revert, out of gas or invalid opcode,
/// with the gas used and the program counter where execution stopped.
fn diagnose(
    world: &Arc<World>,
    code: Vec<(alloy_primitives::Address, Installed)>,
    tx: TxEnv,
    result: &ExecutionResult,
) -> String {
    let mut evm =
        exec::context_for_gas(world.overlay(&code), 0, tx.gas_limit).build_mainnet_with_inspector(LastStep::default());
    let _ = evm.inspect_tx(tx);
    let last = &evm.inspector;
    let name = OpCode::new(last.opcode).map_or_else(|| format!("0x{:02x}", last.opcode), |o| o.as_str().to_owned());
    let place = format!("at pc {} ({name}){}", last.pc, if last.in_program { "" } else { " in a called contract" });
    let gas = result.gas().total_gas_spent();
    let what = match result {
        ExecutionResult::Revert { output, .. } => format!("the call reverts (output {output})"),
        ExecutionResult::Halt { reason, .. } => {
            let reason = format!("{reason:?}");
            if reason.contains("OutOfGas") {
                format!("the call runs out of gas ({reason})")
            } else if reason.contains("Opcode") || reason.contains("Invalid") {
                format!("the call hits an invalid opcode ({reason})")
            } else {
                format!("the call halts ({reason})")
            }
        }
        ExecutionResult::Success { .. } => "the call succeeds".to_owned(),
    };
    format!("{what} after {gas} gas {place}; only calls that succeed are benchmarked")
}
