//! Precompiles: every one of Osaka's, called through revm's precompile
//! interface as a contract's CALL reaches it, on the fixed inputs of
//! `fixtures/precompile/vectors.json`. Each call is given exactly the gas
//! the suite's own reading of the EIPs prices it at ([`pricing`]), and must
//! return the vector's output having used all of it, or fail where the EIP
//! says the call fails.

pub mod pricing;
pub mod table;

use alloy_primitives::{hex, Bytes};
use revm::precompile::{u64_to_address, PrecompileResult, Precompiles};

use crate::data::Fixtures;
use crate::data::{self, PrecompileVector};
use crate::measure::error::Error;
use crate::measure::workload::{case, expect_eq, Throughput};
use crate::measure::workload::{Select, Workload};

pub fn workloads(fx: &Fixtures, select: Select) -> Result<Vec<Box<dyn Workload>>, Error> {
    if !select.wants_any("precompile/") {
        return Ok(Vec::new());
    }
    let vectors: Vec<PrecompileVector> = fx.json(data::PRECOMPILE_VECTORS)?;
    let all = vectors.into_iter().map(workload).collect::<Result<Vec<_>, _>>()?;
    Ok(select.keep(all))
}

/// What a vector says the call does.
enum Expected {
    Returns(Bytes),
    Fails,
}

fn workload(vector: PrecompileVector) -> Result<Box<dyn Workload>, Error> {
    let refuse =
        |problem: String| Error::fixture(data::PRECOMPILE_VECTORS, format!("vector `{}`: {problem}", vector.id));
    let (name, label) =
        vector.id.split_once('/').ok_or_else(|| refuse("the id is not `<precompile>/<input>`".into()))?;
    let spec = pricing::by_name(name).ok_or_else(|| refuse(format!("no Osaka precompile is named `{name}`")))?;
    if spec.address != vector.address {
        return Err(refuse(format!("address {:#x}, but `{name}` is at {:#x}", vector.address, spec.address)));
    }
    let expected = match (vector.output, vector.fails) {
        (Some(output), false) => Expected::Returns(output),
        (None, true) => Expected::Fails,
        _ => return Err(refuse("give either an `output` or `\"fails\": true`".into())),
    };
    let gas = (spec.price)(&vector.input).map_err(refuse)?;
    let precompile = Precompiles::osaka()
        .get(&u64_to_address(spec.address))
        .ok_or_else(|| refuse(format!("revm's Osaka set has nothing at {:#x}", spec.address)))?
        .clone();
    let outcome = match &expected {
        Expected::Returns(output) if output.is_empty() => "returns empty output, as its EIP says",
        Expected::Returns(_) => "returns the vector's output",
        Expected::Fails => "must fail, as its EIP says",
    };
    Ok(case(
        format!("precompile/{}", vector.id),
        format!(
            "{} at {:#x} on `{label}` ({} bytes, {gas} gas): {outcome}",
            spec.about,
            spec.address,
            vector.input.len()
        ),
        Throughput::Gas(gas),
        vector.input,
        move |input| precompile.execute(input, gas, 0),
        move |_, result| check(result, &expected, gas),
    ))
}

fn check(result: PrecompileResult, expected: &Expected, gas: u64) -> Result<(), String> {
    let output = result.map_err(|e| format!("revm refused the call as fatal: {e:?}"))?;
    match expected {
        Expected::Returns(want) => {
            if let Some(reason) = output.halt_reason() {
                return Err(format!(
                    "the call failed ({reason:?}); the vector expects it to return {} bytes",
                    want.len()
                ));
            }
            expect_eq("gas used", output.gas_used, gas)?;
            if output.bytes != *want {
                return Err(differ(&output.bytes, want));
            }
            Ok(())
        }
        Expected::Fails if output.is_halt() => Ok(()),
        Expected::Fails => {
            Err(format!("the call returned 0x{}; the vector expects it to fail", hex::encode(&output.bytes)))
        }
    }
}

/// Where an output departs from the vector's, short enough for one line.
fn differ(actual: &[u8], want: &[u8]) -> String {
    let at = actual.iter().zip(want).position(|(a, b)| a != b).unwrap_or(actual.len().min(want.len()));
    let show = |b: &[u8]| hex::encode(&b[at.min(b.len())..(at + 16).min(b.len())]);
    format!(
        "output differs from the vector's at byte {at} of {} (got {}…, the vector says {}…)",
        want.len(),
        show(actual),
        show(want)
    )
}
