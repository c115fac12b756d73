#!/usr/bin/env bash
# Rehearse main's history path (bench-main's two jobs) against a local bare
# repository: the first run finds no bench-history branch; a later run marks
# the commits between the last record and its own as "not measured", records
# its own failed suite as skipped, and its push, rejected once as if another
# run had pushed first, is retried. Checks what the branch then holds.
#
#   ci/rehearse-history.sh          (needs three commits of history before HEAD)
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bare=$work/remote.git
export REMOTE=file://$bare REPO=owner/repo
git init --quiet --bare "$bare"
ethbench() { cargo run --quiet --profile bench --bin ethbench -- "$@"; }

echo "-- run 1, at HEAD~3: no branch yet, the suite failed"
ci/append-history.sh fetch "$work/run1"
old=$(git rev-parse HEAD~3)
ethbench history skip --dir "$work/run1/runs" --commit "$old" --reason "the suite failed (rehearsal)" --unix 1000 \
    | sed 's#.* in .*/runs/##' >"$work/run1/added.txt"
ethbench history render --dir "$work/run1/runs" --html "$work/run1/index.html" --markdown "$work/run1/README.md" >/dev/null
ci/publish-history.sh "$work/run1"

echo "-- run 2, at HEAD: two commits between had no run; this suite failed too; the first push is rejected"
cat >"$bare/hooks/pre-receive" <<HOOK
#!/bin/sh
[ -e "$work/rejected" ] && exit 0
touch "$work/rejected"; echo "rehearsal: another run pushed first" >&2; exit 1
HOOK
chmod +x "$bare/hooks/pre-receive"
ci/append-history.sh fetch "$work/run2"
ci/append-history.sh record "$work/run2" --skipped "the suite did not finish (rehearsal)"
ci/publish-history.sh "$work/run2" 2>&1 | grep -v '^remote:\|^To \|rejected\|^error: failed to push'

echo "-- what bench-history holds"
git clone --quiet --branch bench-history "$REMOTE" "$work/check"
records=$(find "$work/check/runs" -name '*.json' | wc -l)
holes=$(grep -l "superseded its queued run" "$work/check/runs"/*.json | wc -l)
failed=$(grep -l "the suite did not finish" "$work/check/runs"/*.json | wc -l)
commits=$(git -C "$work/check" rev-list --count HEAD)
echo "$records records ($holes not measured, $failed failed suite), $commits commits; README and page: $(ls "$work/check" | tr '\n' ' ')"
[[ $records == 4 && $holes == 2 && $failed == 1 && $commits == 2 && -s $work/check/index.html && -s $work/check/README.md ]]
grep -q "4 runs (0 measured, 4 skipped)" "$work/check/README.md"
echo "history rehearsal: ok"
