//! `cargo bench --bench scale`: the state at scale's smallest tier (10⁴
//! entries, built in well under a second). Larger tiers: `ethbench scale`,
//! or one by id (`cargo run --release -- bench scale/mdbx/read_account/1e7`).

fn main() {
    ethbench::judge::bench_target::main("scale");
}
