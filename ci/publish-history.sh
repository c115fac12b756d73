#!/usr/bin/env bash
# Push the records one run of bench-main wrote (ci/append-history.sh record)
# to the bench-history branch. This is the only step that holds a write
# token, so it runs nothing but git: no cargo, no project code.
#
#   ci/publish-history.sh FROM          FROM: the run's history directory (its artifact)
#
# Needs GH_TOKEN (contents: write) and REPO (owner/name); REMOTE overrides the
# push URL (a local bare repository, for a rehearsal). Records are only ever
# added, never overwritten; the page and summary are the run's. A rejected
# push (another run pushed first) is retried on top of the new tip; a failed
# lookup is retried and never mistaken for a missing branch.
set -euo pipefail
from=$(cd "${1:?usage: ci/publish-history.sh FROM}" && pwd)
remote=${REMOTE:-https://github.com/${REPO:?REPO (owner/name) is needed}.git}
[[ -s $from/added.txt ]] || { echo "error: $from/added.txt lists no records; nothing to publish" >&2; exit 1; }
if [[ -n ${GH_TOKEN:-} ]]; then
    # In the environment of these git commands only, never in .git/config.
    export GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=http.https://github.com/.extraheader
    GIT_CONFIG_VALUE_0="AUTHORIZATION: basic $(printf 'x-access-token:%s' "$GH_TOKEN" | base64 -w0)"
    export GIT_CONFIG_VALUE_0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
subject="history: main at $(sed -n '$p' "$from/added.txt" | sed 's/^[0-9]*-//; s/\.json$//')"

for attempt in 1 2 3 4 5; do
    rm -rf "$work/history"
    git init --quiet "$work/history"
    cd "$work/history"
    status=0
    git ls-remote --exit-code "$remote" refs/heads/bench-history >/dev/null || status=$?
    case $status in
        0) git fetch --quiet --depth 1 "$remote" bench-history && git checkout --quiet -B bench-history FETCH_HEAD ;;
        2) git checkout --quiet --orphan bench-history ;;
        *)
            echo "looking up bench-history failed (git exit $status), attempt $attempt of 5" >&2
            cd - >/dev/null
            sleep $((attempt * 10))
            continue
            ;;
    esac
    mkdir -p runs
    while read -r name; do
        [[ -e runs/$name ]] || cp "$from/runs/$name" runs/
    done <"$from/added.txt"
    cp "$from/index.html" "$from/README.md" .
    git add -A
    if git diff --cached --quiet; then
        echo "bench-history already holds these records"
        exit 0
    fi
    git -c user.name=ethbench -c user.email=ethbench@users.noreply.github.com commit --quiet -m "$subject"
    if git push --quiet "$remote" HEAD:refs/heads/bench-history; then
        echo "pushed $(wc -l <"$from/added.txt") record(s) to bench-history (attempt $attempt)"
        exit 0
    fi
    echo "push rejected or failed, attempt $attempt of 5; retrying on the new tip" >&2
    cd - >/dev/null
    sleep $((attempt * 10))
done
echo "error: could not push to bench-history after 5 attempts" >&2
exit 1
