#!/usr/bin/env bash
# Keccak backend A/B: this commit built with alloy-primitives' default keccak
# (RustCrypto `sha3`), with `keccak-asm` (what reth builds with) and with
# `tiny-keccak`, each by ci/build-side.sh, then a paired `ethbench ab` of each
# against the default over the workloads keccak dominates. Writes one comment
# per backend to OUT and prints each headline.
#
#   scripts/keccak.sh [FILTER]       FILTER: comma-separated id prefixes (default below)
#
# Environment: BUDGET (seconds of measurement per backend, default 300),
# OUT (default target/keccak), REF (default: the working tree).
set -euo pipefail
cd "$(dirname "$0")/.."
default_filter=trie/keccak,trie/state_root,trie/full_state_root,trie/storage_root,evm/op/keccak256,evm/contract/keccak_chain_10k,rlp/hash,recovery/block_200tx
filter=${1:-$default_filter}
out=${OUT:-target/keccak}
build=${BUILD_DIR:-target/ab-keccak}
ref=${REF:-WORKTREE}
mkdir -p "$out"

ci/build-side.sh "$ref" sha3 "$build"
ci/build-side.sh "$ref" keccak-asm "$build" keccak-asm
ci/build-side.sh "$ref" tiny-keccak "$build" keccak-tiny
for backend in keccak-asm tiny-keccak; do
    echo "== sha3 → $backend"
    "$build/sha3/ethbench" ab --base "$build/sha3/ethbench" --head "$build/$backend/ethbench" \
        --budget "${BUDGET:-300}" "$filter" \
        --markdown "$out/$backend.md" --json "$out/$backend.json" | tail -n 1 || true
done
echo "comments in $out/keccak-asm.md and $out/tiny-keccak.md (change against sha3)"
