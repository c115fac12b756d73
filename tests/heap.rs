//! Hot paths that must not allocate per operation, and heap figures that
//! repeat run to run. dhat is this test binary's global allocator.
#![cfg(not(any(feature = "heap", feature = "mimalloc", feature = "jemalloc")))]

use ethbench::judge::bench_target::prepare;
use ethbench::measure::heap::measure;

#[global_allocator]
static ALLOC: dhat::Alloc = dhat::Alloc;

// One test: dhat allows one profiler per process at a time.
#[test]
fn allocation_figures() {
    let _profiler = dhat::Profiler::builder().testing().build();

    for id in [
        "rlp/decode/u64_x1024",
        "rlp/encode/u64_x1024",
        "rlp/encode/header",
        "rlp/encode/block_200tx",
        "rlp/reject/leading_zero_u64",
        "trie/keccak/slots_10k",
        "recovery/single/secp256k1",
    ] {
        let mut w = prepare(id);
        let f = measure(w.as_mut(), 3).unwrap();
        assert_eq!(f.allocations_per_op, 0.0, "{id} allocates {} times per op", f.allocations_per_op);
    }

    // A decoder that builds owned values allocates, and the same amount every run.
    let mut w = prepare("rlp/decode/block_200tx");
    let first = measure(w.as_mut(), 1).unwrap();
    let second = measure(w.as_mut(), 5).unwrap();
    assert!(first.allocations_per_op >= 200.0, "{first:?}");
    assert_eq!(first.allocations_per_op, second.allocations_per_op);
    assert_eq!(first.bytes_per_op, second.bytes_per_op);
}
