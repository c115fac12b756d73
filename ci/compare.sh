#!/usr/bin/env bash
# Paired A/B comparison, exactly as the pull-request workflow runs it: build
# the base and the head by one procedure (ci/build-side.sh), then let
# `ethbench ab` run both builds at once, timing alternate ~20 ms chunks of
# each workload in fresh processes round after round, and judge the pairs.
#
#   ci/compare.sh [BASE_REF] [FILTER]       default BASE_REF: origin/main
#
# Environment: HEAD_REF (default: the working tree, uncommitted changes
# included), OUT (default target/ethbench-ci), BUDGET (seconds of
# measurement, default 900), FEATURES (cargo features of both sides),
# RUN_URL (linked from the comment). Writes $OUT/comment.md,
# $OUT/comparison.json and $OUT/bmf.json; when anything fails, comment.md
# says "comparison failed: <reason>", so no stale verdict is left standing.
# Exit status: 0 no regression, 1 a confirmed regression, 2 the comparison failed.
set -euo pipefail
cd "$(dirname "$0")/.."

base_ref=${1:-origin/main}
filter=${2:-}
head_ref=${HEAD_REF:-WORKTREE}
out=${OUT:-target/ethbench-ci}
build=${BUILD_DIR:-target/ab}
mkdir -p "$out"
rm -f "$out/comment.md" "$out/comparison.json" "$out/bmf.json"

fail() {
    {
        echo "<!-- ethbench:comparison -->"
        echo "### ethbench: comparison failed: $1"
        echo
        echo "No verdict for this push.${RUN_URL:+ See [the run]($RUN_URL) for the log.}"
    } >"$out/comment.md"
    echo "error: comparison failed: $1" >&2
    exit 2
}
trap 'fail "an unexpected error at line $LINENO of ci/compare.sh"' ERR

ci/build-side.sh "$base_ref" base "$build" ${FEATURES:-} 2>&1 | tail -20 >&2 || fail "the base ($base_ref) did not build"
ci/build-side.sh "$head_ref" head "$build" ${FEATURES:-} 2>&1 | tail -20 >&2 || fail "the head did not build"
[[ -x $build/base/ethbench && -x $build/head/ethbench ]] || fail "a side did not build"

if ! printf 'hello\n' | "$build/base/ethbench" worker 2>/dev/null | grep -q '^ethbench-ab '; then
    fail "the base ($base_ref) predates the paired A/B protocol (\`ethbench worker\`); compare against a newer base"
fi
base_commit=$(cat "$build/base/commit") head_commit=$(cat "$build/head/commit")
# Two different sources that produced one binary mean a stale build, not "no change".
if [[ $base_commit != "$head_commit" ]] && cmp -s "$build/base/ethbench" "$build/head/ethbench" &&
    ! git diff --quiet "$base_commit" "$head_commit" -- src Cargo.toml Cargo.lock; then
    fail "base and head sources differ but built to the same binary; delete $build and retry"
fi

status=0
"$build/base/ethbench" ab --base "$build/base/ethbench" --head "$build/head/ethbench" \
    --budget "${BUDGET:-900}" ${filter:+"$filter"} \
    --markdown "$out/comment.md" --json "$out/comparison.json" --bmf "$out/bmf.json" || status=$?
if ((status > 1)); then
    fail "\`ethbench ab\` exited with status $status"
fi
{
    echo
    echo "Base \`$base_commit\`, head \`$head_commit\`${RUN_URL:+, [run]($RUN_URL)}."
} >>"$out/comment.md"
exit "$status"
