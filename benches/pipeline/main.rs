//! `cargo bench --bench pipeline`: the small block's import stage by stage
//! on the 10⁴ tier. The 30M- and 60M-gas blocks on 10⁶ entries:
//! `ethbench pipeline`, or one stage by id (`cargo run --release -- bench
//! pipeline/mixed_30m_1e6/execute`).

fn main() {
    ethbench::judge::bench_target::main("pipeline");
}
