#!/usr/bin/env bash
# Interleaved A/B comparison, exactly as the pull-request workflow runs it:
# build the bench binaries of BASE_REF and of the working tree, run them
# alternately (A B, B A, A B, …) for ROUNDS rounds so machine drift hits
# both sides alike, then let the comparator judge the pooled rounds.
#
#   ci/compare.sh [BASE_REF] [FILTER]       default BASE_REF: origin/main
#
# With valgrind present, the head's instruction counts are judged against the
# base's ci/iai-baseline.json in the same comment (IAI=0 skips them).
#
# Environment: ROUNDS (default 6), ETHBENCH_MEASUREMENT_SECS (default 1),
# OUT (default target/ethbench-ci), HEAD_REF (default: the working tree;
# name a commit to build the head side from it instead, e.g. HEAD_REF=HEAD
# with BASE_REF=HEAD for an A/A check of unchanged code). Writes $OUT/comment.md,
# $OUT/comparison.json and $OUT/bmf.json. Exit status is the comparator's:
# 0 no regression, 1 a confirmed regression, 2 unusable input.
set -euo pipefail
cd "$(dirname "$0")/.."

base_ref=${1:-origin/main}
filter=${2:-}
rounds=${ROUNDS:-6}
out=${OUT:-target/ethbench-ci}
export ETHBENCH_MEASUREMENT_SECS=${ETHBENCH_MEASUREMENT_SECS:-1}

if ! git rev-parse --verify --quiet "$base_ref^{commit}" >/dev/null; then
    echo "error: base ref \`$base_ref\` is not a commit here; fetch it or name another" >&2
    exit 2
fi

work=$(mktemp -d)
cleanup() {
    git worktree remove --force "$work/base" >/dev/null 2>&1 || true
    git worktree remove --force "$work/head" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
git worktree add --quiet --detach "$work/base" "$base_ref"
head_dir=.
if [[ -n ${HEAD_REF:-} ]]; then
    git worktree add --quiet --detach "$work/head" "$HEAD_REF"
    head_dir=$work/head
fi

source scripts/lib.sh
echo "building base ($base_ref) and head (${HEAD_REF:-working tree}) bench binaries" >&2
mapfile -t base_bins < <(bench_executables "$work/base")
mapfile -t head_bins < <(bench_executables "$head_dir")
if [[ ${#base_bins[@]} -eq 0 || ${#head_bins[@]} -eq 0 ]]; then
    echo "error: no bench binaries were built (run \`cargo bench --no-run\` to see why)" >&2
    exit 2
fi

rm -rf "$out" && mkdir -p "$out"
export CRITERION_HOME
CRITERION_HOME=$(cd "$out" && pwd)/criterion
run_side() { # side round binaries...
    local side=$1 round=$2
    shift 2
    for bin in "$@"; do
        # Criterion's own analysis is not used (the comparator reads the raw samples): keep it cheap.
        "$bin" --bench --save-baseline "ab-$side-$round" --noplot --nresamples 1000 ${filter:+"$filter"} >/dev/null
    done
}
for round in $(seq 1 "$rounds"); do
    echo "round $round of $rounds" >&2
    if ((round % 2)); then
        run_side base "$round" "${base_bins[@]}"
        run_side head "$round" "${head_bins[@]}"
    else
        run_side head "$round" "${head_bins[@]}"
        run_side base "$round" "${base_bins[@]}"
    fi
done

# Instruction counts of the head against the base's committed baseline
# (when valgrind is here, the head is the working tree, and IAI is not 0).
iai_args=()
if [[ ${IAI:-1} != 0 && $head_dir == . && -f $work/base/ci/iai-baseline.json ]] && command -v valgrind >/dev/null; then
    echo "instruction counts of the head" >&2
    scripts/iai.sh >/dev/null
    cp "$work/base/ci/iai-baseline.json" "$out/iai-baseline-base.json"
    iai_args=(--iai-baseline "$out/iai-baseline-base.json")
fi

cargo run --quiet --profile bench --bin ethbench -- compare \
    --criterion-dir "$CRITERION_HOME" --base 'ab-base-*' --new 'ab-head-*' "${iai_args[@]}" \
    --markdown "$out/comment.md" --json "$out/comparison.json" --bmf "$out/bmf.json"
