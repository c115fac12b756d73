//! `cargo bench --bench evm`: opcodes, storage, solc contracts and a block on revm.

fn main() {
    ethbench::bench::main(&[ethbench::evm::workloads]);
}
