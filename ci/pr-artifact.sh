#!/usr/bin/env bash
# Complete the pull-request artifact in OUT after ci/compare.sh, whatever
# happened to it: the head and base SHAs, the run's URL, and, when no comment
# was written (a cancelled or killed comparison), a "comparison failed" one.
#
#   ci/pr-artifact.sh HEAD_SHA BASE_SHA      (environment: OUT, RUN_URL)
set -euo pipefail
head_sha=$1 base_sha=$2
out=${OUT:-target/ethbench-ci}
mkdir -p "$out"
echo "$head_sha" >"$out/head-sha"
echo "$base_sha" >"$out/base-sha"
echo "${RUN_URL:-}" >"$out/run-url"
if [[ ! -s $out/comment.md ]]; then
    printf '<!-- ethbench:comparison -->\n### ethbench: comparison failed: the job stopped before a verdict\n\nNo verdict for this push.%s\n' \
        "${RUN_URL:+ See [the run]($RUN_URL).}" >"$out/comment.md"
fi
printf '\nPull request head `%s`, base `%s`.\n' "$head_sha" "$base_sha" >>"$out/comment.md"
