//! `cargo bench --bench harness`: the timing loop around an empty operation.

fn main() {
    ethbench::judge::bench_target::main("harness");
}
