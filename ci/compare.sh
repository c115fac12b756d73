#!/usr/bin/env bash
# Paired A/B comparison, exactly as the pull-request workflow runs it: build
# the base and the head by one procedure (ci/build-side.sh), then let
# `ethbench ab` run both builds at once, timing alternate ~20 ms chunks of
# each workload in fresh processes round after round, and judge the pairs.
#
#   ci/compare.sh [BASE_REF] [FILTER]       default BASE_REF: origin/main
#
# With valgrind here, instruction counts join the verdict: the base's counts
# are taken on this machine (its own scripts/iai.sh in a checkout of it), then
# the head's (of the groups a filter names), and a count that rose past its
# tolerance is a regression.
#
# Each benchmark's floor is the base's ci/paired-floors.json (`ethbench floors
# --paired`), else the fixed 2%.
#
# Environment: HEAD_REF (default: the working tree, uncommitted changes
# included), OUT (default target/ethbench-ci), BUDGET (seconds
# of measurement, default 900), FEATURES (cargo features of both sides),
# IAI=0 (no instruction counts), RUN_URL (linked from the comment),
# SHARD=INDEX/COUNT (only this shard's share of the benchmarks, balanced by
# ci/shard-weights.json, and of the instruction-count groups; the shards'
# results are joined by ci/merge-shards.mjs), PART=times or PART=counts (only
# the paired times, or only the instruction counts, so that the two run on
# runners of their own; default both). Writes $OUT/comment.md,
# $OUT/comparison.json and $OUT/bmf.json (and the counts' logs, $OUT/counts-base.log and
# counts-head.log); when anything fails, comment.md
# says "comparison failed: <reason>", so no stale verdict is left standing.
# Exit status (also in $OUT/status, with the wall time, builds included, in
# $OUT/wall-secs, and the seconds of its phases, builds, counts and paired,
# in $OUT/phases): 0 no regression, 1 a confirmed regression, 2 the
# comparison failed.
set -euo pipefail
cd "$(dirname "$0")/.."

base_ref=${1:-origin/main}
filter=${2:-}
head_ref=${HEAD_REF:-WORKTREE}
out=${OUT:-target/ethbench-ci}
build=${BUILD_DIR:-target/ab}
mkdir -p "$out"
rm -f "$out/comment.md" "$out/comparison.json" "$out/bmf.json" "$out/failure" "$out/status" "$out/wall-secs" "$out/shard" "$out/part" "$out/phases" "$out"/counts-*.log
[[ -z ${SHARD:-} ]] || echo "$SHARD" >"$out/shard"
part=${PART:-both}
[[ $part =~ ^(both|times|counts)$ ]] || { echo "error: PART is times, counts or both, not '$part'" >&2; exit 2; }
echo "$part" >"$out/part"

# fail CODE MESSAGE: the comment for a local reader, and CODE alone in
# $out/failure, which is all the trusted comment (ci/render-comment.mjs)
# takes from a failed run: it maps known codes to its own words.
fail() {
    echo "$1" >"$out/failure"
    echo 2 >"$out/status"
    echo "$SECONDS" >"$out/wall-secs"
    shift
    {
        echo "<!-- ethbench:comparison -->"
        echo "### ethbench: comparison failed: $1"
        echo
        echo "No verdict for this push.${RUN_URL:+ See [the run]($RUN_URL) for the log.}"
    } >"$out/comment.md"
    echo "error: comparison failed: $1" >&2
    exit 2
}
trap 'fail unexpected "an unexpected error at line $LINENO of ci/compare.sh"' ERR

# phase NAME: the seconds since the last phase ended, a line of $out/phases.
phase_ended=0
phase() {
    echo "$1 $((SECONDS - phase_ended))" >>"$out/phases"
    phase_ended=$SECONDS
}

ci/build-side.sh "$base_ref" base "$build" ${FEATURES:-} 2>&1 | tail -20 >&2 || fail base-build "the base ($base_ref) did not build"
ci/build-side.sh "$head_ref" head "$build" ${FEATURES:-} 2>&1 | tail -20 >&2 || fail head-build "the head did not build"
phase builds
[[ -x $build/base/ethbench && -x $build/head/ethbench ]] || fail no-binary "a side did not build"

if ! printf 'hello\n' | "$build/base/ethbench" worker 2>/dev/null | grep -q '^ethbench-ab '; then
    fail old-base "the base ($base_ref) predates the paired A/B protocol (\`ethbench worker\`); compare against a newer base"
fi
if [[ -n ${SHARD:-} ]] && ! "$build/base/ethbench" ab --help 2>/dev/null | grep -q -- '--shard'; then
    fail old-base-shard "the base ($base_ref) predates sharded runs (\`ethbench ab --shard\`); compare without SHARD"
fi
base_commit=$(cat "$build/base/commit") head_commit=$(cat "$build/head/commit")
# Two different sources that produced one binary mean a stale build, not "no change".
if [[ $base_commit != "$head_commit" ]] && cmp -s "$build/base/ethbench" "$build/head/ethbench" &&
    ! git diff --quiet "$base_commit" "$head_commit" -- src Cargo.toml Cargo.lock; then
    fail same-binary "base and head sources differ but built to the same binary; delete $build and retry"
fi

# Instruction counts, base then head, on this machine, each counted in a
# checkout at the same path (allocation during set-up depends on path lengths).
# A filter limits them to the groups it names (`rlp/hash` counts the RLP twins).
# Every group with twins, and its seconds under callgrind here (set-up
# uninstrumented): what shards are dealt counting by.
declare -A weight=([evm]=107 [precompile]=75 [trie]=31 [rlp]=26 [recovery]=25 [db]=22 [pipeline]=7)
iai_args=()
groups=()
if [[ -n $filter ]]; then
    for prefix in ${filter//,/ }; do
        group=${prefix%%/*}
        if [[ -n ${weight[$group]:-} && " ${groups[*]} " != *" $group "* ]]; then
            groups+=("$group")
        fi
    done
fi
counted=1
[[ -z $filter || ${#groups[@]} -gt 0 ]] || counted=0
shard_args=()
if [[ -n ${SHARD:-} ]]; then
    shard_args=(--shard "$SHARD")
    [[ -f ci/shard-weights.json ]] && shard_args+=(--shard-weights ci/shard-weights.json)
    # The twins' groups, heaviest first, each to the shard with the least counting so far.
    ((${#groups[@]} > 0)) || groups=("${!weight[@]}")
    index=${SHARD%/*} count=${SHARD#*/}
    load=()
    for ((s = 1; s <= count; s++)); do load[s]=0; done
    mine=()
    for group in $(for g in "${groups[@]}"; do echo "${weight[$g]} $g"; done | sort -rn | cut -d' ' -f2); do
        least=1
        for ((s = 2; s <= count; s++)); do ((load[s] < load[least])) && least=$s; done
        load[least]=$((load[least] + weight[$group]))
        ((least == index)) && mine+=("$group")
    done
    groups=("${mine[@]}")
    ((${#groups[@]} > 0)) || counted=0
fi
counts_target=${CARGO_TARGET_DIR:-$PWD/target}
# The summaries of the groups counted here, cleared before each side's run, so
# that a twin one side lacks reads as not run instead of as an earlier count.
counted_groups=("${groups[@]}")
((${#counted_groups[@]} > 0)) || counted_groups=("${!weight[@]}")
count() { # side, commit, iai.sh arguments…
    local side=$1 commit=$2 log group
    shift 2
    log=$(cd "$out" && pwd)/counts-$side.log
    for group in "${counted_groups[@]}"; do rm -rf "$counts_target/iai/ethbench/${group}_iai"; done
    git worktree remove --force "$build/iai-src" >/dev/null 2>&1 || rm -rf "$build/iai-src"
    git worktree add --quiet --detach "$build/iai-src" "$commit"
    # The log stays in $out, and a failure shows its end.
    (cd "$build/iai-src" && CARGO_TARGET_DIR=$counts_target scripts/iai.sh "$@" >"$log" 2>&1) || {
        tail -n 30 "$log" >&2
        return 1
    }
}
if [[ $part == counts ]]; then
    command -v valgrind >/dev/null || fail no-valgrind "valgrind is not installed, and this job only counts instructions"
    "$build/base/ethbench" ab --help 2>/dev/null | grep -q -- '--counts-only' ||
        fail old-base-counts "the base ($base_ref) predates counting jobs (\`ethbench ab --counts-only\`); compare without PART"
fi
if [[ ${IAI:-1} != 0 && $part != times && $counted == 1 ]] && command -v valgrind >/dev/null && git cat-file -e "$base_commit:scripts/iai.sh" 2>/dev/null; then
    echo "instruction counts of the base, then of the head" >&2
    count base "$base_commit" --save-baseline "${groups[@]}" ||
        fail counts-base "the base's instruction counts could not be taken (scripts/iai.sh --save-baseline)"
    cp "$build/iai-src/ci/iai-baseline.json" "$out/iai-baseline-base.json"
    count head "$head_commit" "${groups[@]}" || fail counts-head "the head's instruction counts could not be taken (scripts/iai.sh)"
    git worktree remove --force "$build/iai-src"
    iai_args=(--iai-baseline "$out/iai-baseline-base.json")
    # Only the groups counted here are judged: a shard's verdict says nothing of another's twins.
    if ((${#groups[@]} > 0)) && "$build/base/ethbench" ab --help 2>/dev/null | grep -q -- '--iai-groups'; then
        iai_args+=(--iai-groups "$(IFS=,; echo "${groups[*]}")")
    fi
    phase counts
fi

# The base's calibrated floors judge the pull request, so that it cannot
# loosen its own; a base without them (or too old to read them) judges by
# the fixed floor.
floor_args=()
if "$build/base/ethbench" ab --help 2>/dev/null | grep -q -- '--calibrated-floors'; then
    if git show "$base_commit:ci/paired-floors.json" >"$build/paired-floors.json" 2>/dev/null; then
        floor_args=(--calibrated-floors "$build/paired-floors.json")
    else
        floor_args=(--calibrated-floors none)
    fi
fi

# A counting job times nothing: its verdict is the counts alone.
paired_args=(--budget "${BUDGET:-900}" ${filter:+"$filter"} "${shard_args[@]}")
if [[ $part == counts ]]; then
    ((${#iai_args[@]} > 0)) || fail no-counts "no instruction counts were taken (IAI=0, or the base has no scripts/iai.sh)"
    paired_args=(--counts-only)
fi
status=0
# The driver reads the head's counts from that target directory.
CARGO_TARGET_DIR=$counts_target "$build/base/ethbench" ab --base "$build/base/ethbench" --head "$build/head/ethbench" \
    "${paired_args[@]}" "${floor_args[@]}" \
    --markdown "$out/comment.md" --json "$out/comparison.json" --bmf "$out/bmf.json" "${iai_args[@]}" || status=$?
[[ $part == counts ]] || phase paired
if ((status > 1)); then
    fail ab "\`ethbench ab\` exited with status $status"
fi
{
    echo
    echo "Base \`$base_commit\`, head \`$head_commit\`${RUN_URL:+, [run]($RUN_URL)}."
} >>"$out/comment.md"
echo "$status" >"$out/status"
echo "$SECONDS" >"$out/wall-secs"
exit "$status"
