//! `cargo bench --bench trie`: Merkle-Patricia roots and proofs on alloy-trie.

fn main() {
    ethbench::judge::bench_target::main("trie");
}
