//! The programs the search times: a setup, then one operation's body in a
//! loop that runs while more than a margin of gas is left, so that every
//! program spends about the same budget whatever one iteration costs.

use crate::groups::evm::asm::{op, Asm};

/// `setup`, then `body` repeated while more than `margin` gas is left.
pub(crate) fn looped(setup: &Asm, body: &Asm, margin: u64) -> Vec<u8> {
    let mut code = setup.clone();
    let start = code.pc();
    code.op(op::JUMPDEST).extend(body);
    // GAS > margin: jump back.
    code.push_u64(margin).op(op::GAS).op(op::GT).push_label(start).op(op::JUMPI).op(op::STOP);
    code.code
}

/// The same setup and body run once: what one iteration costs, measured.
pub(crate) fn once(setup: &Asm, body: &Asm) -> Vec<u8> {
    let mut code = setup.clone();
    code.extend(body).op(op::STOP);
    code.code
}
