#!/usr/bin/env bash
# Allocator A/B: the suite (or FILTER) under the system allocator, mimalloc
# and jemalloc, interleaved round by round (system, mimalloc, jemalloc, …) so
# drift hits all three alike, each saved as Criterion baselines
# alloc-<allocator>-<round>; then one table of time per allocator and change
# against the system allocator, judged by the comparator's rule.
#
#   scripts/allocators.sh [FILTER]       e.g. scripts/allocators.sh rlp/decode
#
# Environment: ROUNDS (default 2), ETHBENCH_MEASUREMENT_SECS (default 1).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

filter=${1:-}
rounds=${ROUNDS:-2}
export ETHBENCH_MEASUREMENT_SECS=${ETHBENCH_MEASUREMENT_SECS:-1}
allocators=(system mimalloc jemalloc)

declare -A bins
for a in "${allocators[@]}"; do
    features=()
    [[ $a == system ]] || features=(--features "$a")
    echo "building the bench binaries with the $a allocator" >&2
    bins[$a]=$(bench_executables . "${features[@]}" | tr '\n' ' ')
    if [[ -z ${bins[$a]// /} ]]; then
        echo "error: no bench binaries were built for $a (run \`cargo bench --no-run ${features[*]}\` to see why)" >&2
        exit 2
    fi
done

for round in $(seq 1 "$rounds"); do
    for a in "${allocators[@]}"; do
        echo "round $round of $rounds: $a" >&2
        for bin in ${bins[$a]}; do
            "$bin" --bench --save-baseline "alloc-$a-$round" --noplot --nresamples 1000 ${filter:+"$filter"} >/dev/null
        done
    done
done

cargo run --quiet --profile bench --bin ethbench -- table --base 'system=alloc-system-*' \
    --side 'mimalloc=alloc-mimalloc-*' --side 'jemalloc=alloc-jemalloc-*'
