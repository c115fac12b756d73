//! `cargo bench --bench harness`: the timing loop around an empty operation.

fn main() {
    ethbench::bench::main(&[ethbench::harness::workloads]);
}
