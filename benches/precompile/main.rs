//! `cargo bench --bench precompile`: every Osaka precompile through revm's precompile interface.

fn main() {
    ethbench::bench::main(&[ethbench::precompile::workloads]);
}
