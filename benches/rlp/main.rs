//! `cargo bench --bench rlp`: RLP encoding and decoding on alloy-rlp.

fn main() {
    ethbench::judge::bench_target::main("rlp");
}
