//! `cargo bench --bench evm`: opcodes, storage, solc contracts and a block on revm.

fn main() {
    ethbench::judge::bench_target::main("evm");
}
