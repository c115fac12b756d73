#!/usr/bin/env bash
# Append this commit of main to main's history, and render its trend page,
# summary and creep check. Never pushes: ci/publish-history.sh does that, in
# a job that runs no project code.
#
#   ci/append-history.sh fetch  DIR                   git only: DIR := the bench-history branch
#   ci/append-history.sh record DIR [--skipped WHY]   the `main` baseline (or WHY it has none) into DIR
#
# fetch: in CI (REPO set; GH_TOKEN, a read token, if the repository is
# private; REMOTE overrides the URL, for a rehearsal) DIR becomes a checkout of `bench-history`, or an empty history
# when that branch does not exist yet. A failed lookup is retried, and
# never mistaken for a missing branch.
#
# record: first, every commit of main between the last recorded one and
# this one (first parents) that has no record gets a skipped record, "not
# measured": GitHub keeps only one pending run per concurrency group, so
# quick pushes lose runs, and the history says so rather than hiding it.
# Then this commit's record: the `main` baseline, or with --skipped a record
# saying why there is none. Then the page (DIR/index.html) and the summary
# (DIR/README.md). DIR/added.txt lists the record files this run wrote.
# Exit status: 0, or 1 when a benchmark crept (after everything is written).
set -euo pipefail
cd "$(dirname "$0")/.."
usage() { echo "usage: ci/append-history.sh fetch DIR | record DIR [--skipped WHY]" >&2; exit 2; }
[[ $# -ge 2 ]] || usage
mode=$1 dir=$2
shift 2

fetch() {
    local remote=${REMOTE:-https://github.com/${REPO:?fetch needs REPO (owner/name)}.git} status attempt
    if [[ -n ${GH_TOKEN:-} ]]; then
        # In the environment of these git commands only, never in .git/config.
        export GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=http.https://github.com/.extraheader
        GIT_CONFIG_VALUE_0="AUTHORIZATION: basic $(printf 'x-access-token:%s' "$GH_TOKEN" | base64 -w0)"
        export GIT_CONFIG_VALUE_0
    fi
    rm -rf "$dir"
    for attempt in 1 2 3 4; do
        status=0
        git ls-remote --exit-code "$remote" refs/heads/bench-history >/dev/null || status=$?
        case $status in
            0)
                git clone --quiet --depth 1 --branch bench-history --single-branch "$remote" "$dir"
                echo "fetched main's history: $(find "$dir/runs" -name '*.json' 2>/dev/null | wc -l) records"
                return 0
                ;;
            2)
                mkdir -p "$dir/runs"
                echo "no bench-history branch yet: starting main's history"
                return 0
                ;;
            *)
                echo "looking up bench-history failed (git exit $status), attempt $attempt of 4" >&2
                sleep $((attempt * 15))
                ;;
        esac
    done
    echo "error: could not reach $remote to read main's history; the run's record is not kept" >&2
    exit 1
}

record() {
    local skipped="" commit last now n=0 status=0
    if [[ ${1:-} == --skipped ]]; then
        skipped=${2:?--skipped needs a reason}
    fi
    ethbench() { cargo run --quiet --profile bench --bin ethbench -- "$@"; }
    mkdir -p "$dir/runs"
    : >"$dir/added.txt"
    commit=$(git rev-parse HEAD)
    now=$(date +%s)
    # The newest record's commit, by the records' own order (file names sort by time).
    last=$(find "$dir/runs" -name '*.json' | sort | tail -1)
    last=${last:+$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["commit"])' "$last")}
    if [[ -n $last ]] && git merge-base --is-ancestor "$last" HEAD 2>/dev/null; then
        # Each record gets its own second, oldest first, ending just before this commit's.
        mapfile -t holes < <(git rev-list --first-parent --reverse "$last..HEAD^")
        for hole in "${holes[@]}"; do
            n=$((n + 1))
            ethbench history skip --dir "$dir/runs" --commit "$hole" --unix $((now - ${#holes[@]} - 1 + n)) \
                --reason "not measured: a newer push to main superseded its queued run" | tee -a "$dir/added.txt.log"
        done
    elif [[ -n $last ]]; then
        echo "the last recorded commit ${last:0:12} is not an ancestor of HEAD (history rewritten, or a shallow clone): no holes filled" >&2
    fi
    if [[ -n $skipped ]]; then
        ethbench history skip --dir "$dir/runs" --commit "$commit" --unix "$now" --reason "$skipped" | tee -a "$dir/added.txt.log"
    else
        ethbench history record --dir "$dir/runs" --commit "$commit" --unix "$now" | tee -a "$dir/added.txt.log"
    fi
    sed -n 's#.* in .*/runs/\(.*\.json\)$#\1#p' "$dir/added.txt.log" >"$dir/added.txt"
    rm -f "$dir/added.txt.log"
    ethbench history render --dir "$dir/runs" --html "$dir/index.html" --markdown "$dir/README.md" \
        ${REPO:+--commit-url "https://github.com/$REPO/commit/"} || status=$?
    return "$status"
}

case $mode in
    fetch) fetch ;;
    record) record "$@" ;;
    *) usage ;;
esac
