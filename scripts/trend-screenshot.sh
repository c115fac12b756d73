#!/usr/bin/env bash
# The trend page as a new user sees it: a synthetic history of 30 runs of
# every benchmark (scripts/trend_demo.py: a planted step, a planted creep, a
# skipped run and a compiler change), rendered by `ethbench history render`
# and screenshot by headless Chromium.
#
#   scripts/trend-screenshot.sh [OUT.png]      default: docs/img/trend.png
#
# Needs Chromium (Debian: apt-get install chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-docs/img/trend.png}
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [[ -z $browser ]]; then
    echo "error: no Chromium found; install it (Debian: apt-get install chromium) and run again" >&2
    exit 2
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cargo build --release --quiet --bin ethbench
./target/release/ethbench list | python3 scripts/trend_demo.py "$work/runs" 30
# Exit 1 is the creep check finding the planted creep, which is the point.
status=0
./target/release/ethbench history render --dir "$work/runs" --html "$work/index.html" \
    --commit-url https://github.com/OWNER/REPO/commit/ || status=$?
[[ $status -le 1 ]] || exit "$status"
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1300,1700 \
    --screenshot="$work/trend.png" "file://$work/index.html" 2>/dev/null
mkdir -p "$(dirname "$out")"
cp "$work/trend.png" "$out"
echo "wrote $out ($(du -k "$work/index.html" | cut -f1) KB page)"
