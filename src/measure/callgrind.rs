//! Valgrind client requests that the instruction-count twins need, written
//! out here rather than taken from iai-callgrind's `client_requests` feature,
//! which builds its bindings with bindgen and so needs libclang at build time.
//!
//! A twin runs under `callgrind --instr-atstart=no`: its set-up (for the EVM,
//! a 100k-account state) runs on valgrind's core alone, about ten times
//! faster than instrumented, and [`start_instrumentation`] switches
//! callgrind on just before the measured function. Counting is unchanged:
//! iai-callgrind only collects inside that function either way.
//!
//! Outside valgrind a client request is a no-op by design: the magic
//! sequence rotates a register by 128 bits in all, leaving it as it was, and
//! the request returns its default.

/// `VG_USERREQ_TOOL_BASE('C','T')` in valgrind's `callgrind.h`, whose
/// requests follow in this order: dump, zero, toggle collect, dump at,
/// start instrumentation, stop instrumentation.
const CALLGRIND_BASE: u64 = ((b'C' as u64) << 24) | ((b'T' as u64) << 16);
const START_INSTRUMENTATION: u64 = CALLGRIND_BASE + 4;
/// `VG_USERREQ__RUNNING_ON_VALGRIND` in `valgrind.h`.
const RUNNING_ON_VALGRIND: u64 = 0x1001;

/// Turn callgrind's instrumentation on (no-op outside valgrind, or where it is already on).
pub fn start_instrumentation() {
    client_request(0, START_INSTRUMENTATION);
}

/// How many valgrinds this process runs under: 0 natively.
pub fn running_on_valgrind() -> u64 {
    client_request(0, RUNNING_ON_VALGRIND)
}

/// `VALGRIND_DO_CLIENT_REQUEST_EXPR` for amd64 (valgrind.h): the request
/// and its five arguments in memory at `rax`, the answer in `rdx`.
#[cfg(target_arch = "x86_64")]
fn client_request(default: u64, request: u64) -> u64 {
    let args: [u64; 6] = [request, 0, 0, 0, 0, 0];
    let mut result = default;
    // SAFETY: natively the four rotations of rdi total 128 bits (rdi ends
    // as it began) and `xchg rbx, rbx` swaps a register with itself; under
    // valgrind the sequence is the client-request trap, which reads the six
    // words at rax (the asm may read memory, so `args` is written first) and
    // writes rdx. Nothing else is touched.
    unsafe {
        std::arch::asm!(
            "rol rdi, 3",
            "rol rdi, 13",
            "rol rdi, 61",
            "rol rdi, 51",
            "xchg rbx, rbx",
            in("rax") args.as_ptr(),
            inout("rdx") result,
            inout("rdi") 0u64 => _,
            options(nostack),
        );
    }
    result
}

/// Elsewhere the twins run instrumented from the start, as before.
#[cfg(not(target_arch = "x86_64"))]
fn client_request(default: u64, _request: u64) -> u64 {
    default
}

#[cfg(test)]
mod tests {
    #[test]
    fn requests_are_harmless_outside_valgrind() {
        super::start_instrumentation();
        assert_eq!(super::running_on_valgrind(), 0, "cargo test runs natively");
    }
}
