//! Multiproofs: one pass over the account trie that retains the nodes on the
//! path to each target, as a client does to serve `eth_getProof` or to
//! prepare a witness.

use alloy_primitives::B256;
use alloy_trie::proof::{verify_proof, ProofNodes, ProofRetainer};
use alloy_trie::{HashBuilder, Nibbles, TrieAccount};

use super::{account_leaves, account_root_with};
use crate::data::Fixtures;
use crate::data::{self, StateExpected};
use crate::measure::error::Error;
use crate::measure::workload::Workload;
use crate::measure::workload::{case, deferred, expect_eq, Throughput};

const ACCOUNTS: usize = 10_000;

struct Input {
    leaves: Vec<(B256, TrieAccount)>,
    targets: Vec<Nibbles>,
}

fn multiproof(input: &Input) -> (B256, ProofNodes) {
    let hb = HashBuilder::default().with_proof_retainer(ProofRetainer::new(input.targets.clone()));
    let (root, mut hb) = account_root_with(hb, &input.leaves);
    (root, hb.take_proof_nodes())
}

fn check(input: &Input, root: B256, proofs: &ProofNodes, want: B256) -> Result<(), String> {
    expect_eq("state root", root, want)?;
    for target in &input.targets {
        let i = input
            .leaves
            .binary_search_by(|(k, _)| Nibbles::unpack(k).cmp(target))
            .map_err(|_| "a target is not in the trie".to_owned())?;
        let nodes = proofs.matching_nodes_sorted(target);
        let value = alloy_rlp::encode(input.leaves[i].1);
        verify_proof(root, *target, Some(value), nodes.iter().map(|(_, node)| node))
            .map_err(|e| format!("proof for {:?} does not verify: {e}", input.leaves[i].0))?;
    }
    Ok(())
}

pub(super) fn workloads(fx: &Fixtures) -> Result<Vec<Box<dyn Workload>>, Error> {
    let expected: StateExpected = fx.expected(data::ACCOUNTS)?;
    let want = expected.root(ACCOUNTS)?;
    let mut all = Vec::new();
    for targets in [1, 100, 1000] {
        let id = format!("trie/multiproof/targets_{targets}");
        let about = format!("state root of {ACCOUNTS} accounts retaining the proofs of {targets}");
        let fx = fx.clone();
        all.push(deferred(
            id.clone(),
            about.clone(),
            Box::new(move || {
                let leaves = account_leaves(&fx, ACCOUNTS)?;
                // Evenly spaced accounts, so proofs share upper nodes as real batches do.
                let stride = ACCOUNTS / targets;
                let mut keys: Vec<Nibbles> =
                    (0..targets).map(|i| Nibbles::unpack(leaves[i * stride + stride / 2].0)).collect();
                keys.sort_unstable();
                Ok(case(
                    id,
                    about,
                    Throughput::Elements(ACCOUNTS as u64),
                    Input { leaves, targets: keys },
                    |input| multiproof(input),
                    move |input, (root, proofs)| check(input, root, &proofs, want),
                ))
            }),
        ));
    }
    Ok(all)
}
