//! `cargo bench --bench precompile`: every Osaka precompile through revm's precompile interface.

fn main() {
    ethbench::judge::bench_target::main("precompile");
}
