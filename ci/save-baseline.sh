#!/usr/bin/env bash
# What CI runs on every push to main: the whole suite, saved as the Criterion
# baseline `main` (and the machine it ran on, beside it), plus a JSON and
# Bencher Metric Format export of the run.
#
#   ci/save-baseline.sh [FILTER]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${OUT:-target/ethbench-ci}
mkdir -p "$out"
cargo bench -- --save-baseline main ${1:+"$1"}
cargo run --quiet --profile bench --bin ethbench -- report --baseline main >"$out/main.md"
echo "saved Criterion baseline \`main\`; table in $out/main.md" >&2
