//! `cargo bench --bench trie`: Merkle-Patricia roots and proofs on alloy-trie.

fn main() {
    ethbench::bench::main(&[ethbench::trie::workloads]);
}
