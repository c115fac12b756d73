#!/usr/bin/env bash
# The bench-pr job on this machine, without GitHub: merge the head into the
# base as GitHub does for a pull request, compare the merge commit's first
# parent with it (ci/compare.sh), and complete the artifact
# (ci/pr-artifact.sh). Leaves the same files in OUT that bench-pr uploads.
#
#   ci/rehearse-pr.sh [--broken] [BASE] [FILTER]     default BASE: origin/main or HEAD
#
# --broken adds a commit that does not compile on top of the head, to see
# the "comparison failed" comment. Exit status is ci/compare.sh's.
set -euo pipefail
cd "$(dirname "$0")/.."
broken=0
if [[ ${1:-} == --broken ]]; then
    broken=1
    shift
fi
base=${1:-$(git rev-parse -q --verify origin/main || git rev-parse HEAD)}
filter=${2:-}
export OUT=${OUT:-target/ethbench-ci} RUN_URL=${RUN_URL:-local rehearsal}

work=$(mktemp -d)
trap 'git worktree remove --force "$work/pr" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
git worktree add --quiet --detach "$work/pr" HEAD
git() { command git -c user.name=rehearsal -c user.email=rehearsal@localhost "$@"; }
if ((broken)); then
    echo 'compile_error!("broken on purpose by ci/rehearse-pr.sh");' >>"$work/pr/src/lib.rs"
    git -C "$work/pr" commit --quiet -am "broken on purpose"
fi
head_sha=$(git -C "$work/pr" rev-parse HEAD)
# GitHub's refs/pull/N/merge: the base first, the head merged into it.
git -C "$work/pr" checkout --quiet --detach "$base"
git -C "$work/pr" merge --quiet --no-ff --no-edit "$head_sha" >/dev/null ||
    git -C "$work/pr" commit --quiet --allow-empty -m "merge (already contained)"
merge=$(git -C "$work/pr" rev-parse HEAD)

status=0
HEAD_REF=$merge ci/compare.sh "$merge^1" $filter || status=$?
ci/pr-artifact.sh "$head_sha" "$(git rev-parse "$merge^1")"
echo "rehearsal: comparison exit $status; artifact in $OUT: $(ls "$OUT" | tr '\n' ' ')"
head -n 2 "$OUT/comment.md" | tail -n 1
exit "$status"
