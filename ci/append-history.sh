#!/usr/bin/env bash
# Append the `main` baseline of the last `ci/save-baseline.sh` to main's
# history, and render its trend page, summary and creep check.
#
#   ci/append-history.sh [DIR]      default DIR: target/ethbench-history
#
# In CI (GH_TOKEN and REPO set) DIR is a clone of the `bench-history`
# branch, created on first use, and the new record is pushed back to it.
# Exit status: 0, or 1 when a benchmark crept (after the record is kept).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-target/ethbench-history}
commit=$(git rev-parse HEAD)
ethbench() { cargo run --quiet --profile bench --bin ethbench -- "$@"; }

if [[ -n ${GH_TOKEN:-} && -n ${REPO:-} ]]; then
    remote="https://x-access-token:${GH_TOKEN}@github.com/${REPO}.git"
    rm -rf "$dir"
    if git ls-remote --exit-code "$remote" bench-history >/dev/null 2>&1; then
        git clone --quiet --branch bench-history --single-branch "$remote" "$dir"
    else
        git init --quiet "$dir"
        git -C "$dir" checkout --quiet --orphan bench-history
    fi
fi
mkdir -p "$dir/runs"
ethbench history record --dir "$dir/runs" --commit "$commit"
status=0
ethbench history render --dir "$dir/runs" --html "$dir/index.html" --markdown "$dir/README.md" || status=$?
if [[ -n ${remote:-} ]]; then
    git -C "$dir" add -A
    git -C "$dir" -c user.name=ethbench -c user.email=ethbench@users.noreply.github.com \
        commit --quiet -m "history: main at $commit"
    git -C "$dir" push --quiet "$remote" HEAD:bench-history
fi
exit "$status"
