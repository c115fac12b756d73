//! A winner confirmed by its instruction count, which machine noise does not
//! move: callgrind counts this binary running the point's program through
//! `ethbench run evm/bytecode` for one and for three calls, and the
//! difference over two calls' gas is the program's instructions per gas.

use std::path::Path;
use std::process::Command;

use alloy_primitives::U256;

use super::search::Point;
use crate::groups::inputs::bytecode::checked_call;
use crate::groups::inputs::parse_hex;
use crate::measure::error::Error;

fn problem(what: impl Into<String>) -> Error {
    Error::Input { path: "--counts".into(), problem: what.into() }
}

/// Instructions per gas of `point`'s program, run with `gas_limit` (a
/// smaller budget than the search's: the rate per gas does not depend on
/// it, and callgrind runs some fifty times slower).
pub fn instructions_per_gas(point: &Point, gas_limit: u64) -> Result<f64, Error> {
    let code = parse_hex(&point.code).map_err(problem)?;
    let calldata = parse_hex(&point.calldata).map_err(problem)?;
    let gas = checked_call("counts", "counts", code, calldata, gas_limit, U256::ZERO).map_err(problem)?.gas;
    let exe = std::env::current_exe().map_err(|e| problem(format!("cannot find this binary: {e}")))?;
    let dir = tempfile::tempdir().map_err(|e| problem(format!("cannot make a temporary directory: {e}")))?;
    let count = |iters: u32| -> Result<u64, Error> {
        let out = dir.path().join(format!("callgrind.{iters}"));
        let status = Command::new("valgrind")
            .arg("--tool=callgrind")
            .arg(format!("--callgrind-out-file={}", out.display()))
            .arg(&exe)
            .args(["run", "evm/bytecode", "--code", &point.code, "--gas-limit", &gas_limit.to_string()])
            .args(["--iters", &iters.to_string()])
            .args(if point.calldata.len() > 2 { vec!["--calldata", point.calldata.as_str()] } else { vec![] })
            .output()
            .map_err(|e| {
                problem(format!(
                    "cannot run valgrind ({e}); install it (apt-get install valgrind) or leave out --counts"
                ))
            })?;
        if !status.status.success() {
            let stderr = String::from_utf8_lossy(&status.stderr);
            return Err(problem(format!("valgrind failed: {}", stderr.lines().last().unwrap_or_default())));
        }
        total_instructions(&out)
    };
    let (one, three) = (count(1)?, count(3)?);
    Ok(three.saturating_sub(one) as f64 / (2.0 * gas as f64))
}

/// The `summary:` (or `totals:`) line of a callgrind output file: instructions executed.
fn total_instructions(file: &Path) -> Result<u64, Error> {
    let text = std::fs::read_to_string(file).map_err(|e| problem(format!("no callgrind output: {e}")))?;
    text.lines()
        .find_map(|l| l.strip_prefix("summary:").or_else(|| l.strip_prefix("totals:")))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .ok_or_else(|| problem(format!("{} has no summary line", file.display())))
}
