//! `cargo bench --bench db`: batched vs single writes, sync modes and reads on MDBX.

fn main() {
    ethbench::judge::bench_target::main("db");
}
