#!/usr/bin/env bash
# What can the paired verdict resolve on this machine? Build this commit
# twice, by the procedure pull requests use (ci/build-side.sh), with the
# `plant` feature; run REPEATS A/A comparisons, then one with planted
# changes on the head side, dealt round-robin over the benchmarks:
# uniform +2%, +5%, +10%, and +10% amortized (one extra run in ten).
#
#   scripts/calibrate.sh [FILTER]
#
# Environment: REPEATS (default 3), BUDGET (seconds of measurement per run,
# default 900), OUT (default target/calibrate). Prints, per run, detection
# per plant, false alarms and wall time; keeps each run's JSON and Markdown.
set -euo pipefail
cd "$(dirname "$0")/.."
filter=${1:-}
out=${OUT:-target/calibrate}
build=${BUILD_DIR:-target/ab}
mkdir -p "$out"

ci/build-side.sh HEAD base "$build" plant
ci/build-side.sh HEAD head "$build" plant
if cmp -s "$build/base/ethbench" "$build/head/ethbench"; then
    echo "the two builds of $(cat "$build/base/commit") are byte-identical"
else
    echo "warning: the two builds of one commit differ; code layout may read as change" >&2
fi
ab() { # name, extra args…
    local name=$1
    shift
    local start=$SECONDS
    "$build/base/ethbench" ab --base "$build/base/ethbench" --head "$build/head/ethbench" \
        --budget "${BUDGET:-900}" ${filter:+"$filter"} \
        --json "$out/$name.json" --markdown "$out/$name.md" "$@" | tail -n 12
    echo "$name: $((SECONDS - start)) s wall, builds excluded"
}

for i in $(seq 1 "${REPEATS:-3}"); do
    echo "== A/A $i"
    ab "aa-$i" || true
done

plants=(uniform:2 uniform:5 uniform:10 amortized:10)
args=()
i=0
while read -r id _; do
    [[ -z $filter || $id == "$filter"* ]] || continue
    args+=(--plant "$id=${plants[i % ${#plants[@]}]}")
    i=$((i + 1))
done < <("$build/base/ethbench" list)
echo "== planted changes on $i benchmarks"
ab planted "${args[@]}" || true
