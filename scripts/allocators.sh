#!/usr/bin/env bash
# Allocator A/B: this commit built with the system allocator, with mimalloc
# and with jemalloc (ci/build-side.sh, one procedure for all three), then a
# paired `ethbench ab` of each against the system allocator. Writes one
# comment per allocator to OUT and prints each headline.
#
#   scripts/allocators.sh [FILTER]       e.g. scripts/allocators.sh rlp/decode
#
# Environment: BUDGET (seconds of measurement per allocator, default 300),
# OUT (default target/allocators), REF (default: the working tree).
set -euo pipefail
cd "$(dirname "$0")/.."
filter=${1:-}
out=${OUT:-target/allocators}
build=${BUILD_DIR:-target/ab}
ref=${REF:-WORKTREE}
mkdir -p "$out"

ci/build-side.sh "$ref" system "$build"
for allocator in mimalloc jemalloc; do
    ci/build-side.sh "$ref" "$allocator" "$build" "$allocator"
done
for allocator in mimalloc jemalloc; do
    echo "== system → $allocator"
    "$build/system/ethbench" ab --base "$build/system/ethbench" --head "$build/$allocator/ethbench" \
        --budget "${BUDGET:-300}" ${filter:+"$filter"} \
        --markdown "$out/$allocator.md" --json "$out/$allocator.json" | tail -n 1 || true
done
echo "comments in $out/mimalloc.md and $out/jemalloc.md (change against the system allocator)"
