#!/usr/bin/env bash
# Every shell command in the README's ```sh blocks, run as written, so a
# command in the README cannot break unnoticed. CI runs this from a fresh
# clone (.ci/run). A command that would take too long here runs with a
# filter and a short measurement, and that form is written below next to the
# README's; a command that cannot run here is listed with the reason. A
# command in the README that this script does not know runs verbatim.
#
#   ci/readme-commands.sh [--dry-run]
set -euo pipefail
cd "$(dirname "$0")/.."
dry=${1:-}
mkdir -p target

# README command → what runs here instead (the same command, narrowed).
short='--warm-up-time 0.05 --measurement-time 0.1'
declare -A narrowed=(
    ['cargo bench']="cargo bench -- $short rlp/reject/overflow"
    ['cargo bench --bench rlp']="cargo bench --bench rlp -- $short reject/overflow"
    ['cargo bench --bench rlp -- decode/block']="cargo bench --bench rlp -- $short decode/block"
    # The two baseline commands exactly as typed, with a filter.
    ['cargo bench -- --save-baseline main']="cargo bench -- --save-baseline main $short rlp/decode/block"
    ['cargo bench -- --baseline main']="cargo bench -- --baseline main $short rlp/decode/block"
    # Two of the twenty cases: Criterion's two seconds each, as the user gets them.
    ['cargo run --release -- bench statetest fixtures/statetests --fork Cancun --filter sstore_0toXtoY']='cargo run --release -- bench statetest fixtures/statetests --fork Cancun --filter sstore_0toXtoY/Cancun/d0_g0'
    ['cargo run --release -- bench blocktest fixtures/blocktests --fork Prague']='cargo run --release -- bench blocktest fixtures/blocktests --fork Prague --filter Prague/block2'
    # The suspects of the run above, confirmed by the paired A/B (both sides are this commit here), briefly.
    ['cargo run --release -- compare --base main --new new --confirm']='BUDGET=15 IAI=0 cargo run --release -- compare --base main --new new --confirm'
    # A clone made some other way may have no origin/main: then the base is HEAD.
    # With valgrind, the RLP twins are counted on both sides: an A/A of the counts on every run.
    # The two smallest tiers: every scale workload built, verified and measured briefly.
    ['cargo run --release -- scale']='cargo run --release -- scale --max 1e5 --seconds 0.2'
    # Every case of the map, measured briefly.
    ['cargo run --release -- pricing --fresh --seconds 0.3']='cargo run --release -- pricing --fresh --seconds 0.05'
    ['ci/compare.sh origin/main']='BUDGET=15 ci/compare.sh "$(git rev-parse -q --verify origin/main || echo HEAD)" rlp/reject/'
)
# README command → why it does not run here.
declare -A skipped=(
    ['cargo test']='.ci/run runs it as its last step and prints its summary'
    ['cargo run --release -- scale --max 1e8']='builds an 8.3 GiB state for about 4 minutes; the scale command above runs every workload on the two smallest tiers'
)
# Commands whose exit status 1 is a verdict (a confirmed regression), not a failure.
verdicts=('cargo run --release -- compare --base main --new new' 'cargo run --release -- compare --base main --new new --confirm' 'ci/compare.sh origin/main')

# The README's commands: ```sh blocks, continuation lines joined, comments dropped.
mapfile -t commands < <(awk '
    /^```sh$/ { inside = 1; next }
    /^```/ { inside = 0; next }
    inside {
        line = $0
        sub(/[[:space:]]+#.*$/, "", line); sub(/^#.*$/, "", line)
        if (line ~ /\\$/) { sub(/\\$/, "", line); pending = pending line; next }
        line = pending line; pending = ""
        gsub(/[[:space:]]+/, " ", line); sub(/^ /, "", line); sub(/ $/, "", line)
        if (line != "") print line
    }' README.md)

ran=0 failed=0 skipped_count=0
for readme in "${commands[@]}"; do
    if [[ -n ${skipped[$readme]:-} ]]; then
        echo "== skipped: $readme (${skipped[$readme]})"
        skipped_count=$((skipped_count + 1))
        continue
    fi
    run=${narrowed[$readme]:-$readme}
    echo "== $readme"
    [[ $run == "$readme" ]] || echo "   runs as: $run"
    [[ $dry == --dry-run ]] && continue
    start=$SECONDS
    status=0
    bash -c "$run" >"target/readme-command.log" 2>&1 </dev/null || status=$?
    accepted=0
    for v in "${verdicts[@]}"; do [[ $readme == "$v" && $status == 1 ]] && accepted=1; done
    if [[ $status == 0 || $accepted == 1 ]]; then
        echo "   ok (exit $status, $((SECONDS - start)) s)"
        ran=$((ran + 1))
    else
        echo "   FAILED (exit $status); its last lines:"
        tail -n 15 target/readme-command.log | sed 's/^/   | /'
        failed=$((failed + 1))
    fi
done
rm -f decode.svg dhat-heap.json target/readme-command.log
echo "README commands: $ran ran, $failed failed, $skipped_count skipped"
((failed == 0))
