//! `cargo bench --bench recovery`: ECDSA sender recovery, k256 vs secp256k1, sequential vs rayon.

fn main() {
    ethbench::judge::bench_target::main("recovery");
}
