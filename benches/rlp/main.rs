//! `cargo bench --bench rlp`: RLP encoding and decoding on alloy-rlp.

fn main() {
    ethbench::bench::main(&[ethbench::rlp::workloads]);
}
