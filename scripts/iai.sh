#!/usr/bin/env bash
# Instruction counts of every group with iai-callgrind, on valgrind.
#
#   scripts/iai.sh [--check | --report | --save-baseline | --spread N | --record N] [GROUP...]   GROUP: evm rlp trie recovery precompile db pipeline (default: all)
#
#   (no flag)        run the benches; iai-callgrind prints each count and its change since the last run
#   --check          then compare every count with ci/iai-baseline.json (exit 1 if one moved past its tolerance)
#   --report         then print every count against ci/iai-baseline.json; exit 1 only if a benchmark did not run
#                    (for machines other than the baseline's, where counts are not comparable: what .ci/run uses)
#   --save-baseline  then write ci/iai-baseline.json from this run (commit it with the change that moved the counts)
#   --spread N       run the benches N times (one build), print how far each count moved, and write each
#                    twin's tolerance (3x its spread, at least 0.5%) to ci/iai-baseline.json
#   --record N       run the benches N times and keep each run's counts in target/iai-runs/ (what
#                    scripts/calibrate.sh judges as A/A comparisons)
#
# JOBS=N runs N bench targets at once (default: the cores; counts do not depend on load).
#
# Installs iai-callgrind-runner first if it is missing or not the version
# Cargo.lock pins for the iai-callgrind library: the two must match exactly.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=run
repeats=1
if [[ ${1:-} == --check || ${1:-} == --report || ${1:-} == --save-baseline ]]; then
    mode=${1#--}
    shift
elif [[ ${1:-} == --spread || ${1:-} == --record ]]; then
    mode=${1#--}
    repeats=${2:-}
    if ! [[ $repeats =~ ^[0-9]+$ ]] || ((repeats < 2)); then
        echo "error: $1 takes a number of runs, 2 or more (\`scripts/iai.sh $1 4\`)" >&2
        exit 2
    fi
    shift 2
fi
groups=("$@")
[[ ${#groups[@]} -gt 0 ]] || groups=(evm rlp trie recovery precompile db pipeline)

if ! command -v valgrind >/dev/null; then
    echo "error: valgrind is not installed; install it (Debian/Ubuntu: apt-get install valgrind) and re-run" >&2
    exit 2
fi

# The version of the iai-callgrind library that Cargo.lock pins, as cargo reads it.
version=$(cargo pkgid --quiet iai-callgrind 2>/dev/null | sed -n 's/.*@//p')
if [[ -z $version ]]; then
    echo "error: Cargo.lock pins no iai-callgrind; run \`cargo generate-lockfile\`" >&2
    exit 2
fi
# `cargo install` puts the runner here; a fresh shell may not have it on PATH yet.
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
# The runner's --version answers only beside a matching library, so ask cargo what it installed.
installed=$(cargo install --list | awk '/^iai-callgrind-runner v/ { sub(/^v/, "", $2); sub(/:$/, "", $2); print $2 }')
if [[ $installed != "$version" ]]; then
    echo "installing iai-callgrind-runner $version (found: ${installed:-none}); about 2 minutes" >&2
    cargo install --quiet --locked iai-callgrind-runner --version "$version"
fi

benches=()
for g in "${groups[@]}"; do
    case $g in
        evm | rlp | trie | recovery | precompile | db | pipeline) benches+=(--bench "$g-iai") ;;
        *)
            echo "error: unknown group \`$g\`; groups are evm, rlp, trie, recovery, precompile, db, pipeline" >&2
            exit 2
            ;;
    esac
done

ethbench() { cargo run --quiet --profile bench --bin ethbench -- "$@"; }

# Callgrind runs one thread, so the twins run one bench target per core
# (JOBS, default: the cores), after one build; counts do not depend on load.
# Each target's output is printed whole, in the order of the groups.
# With `quiet`, only a failed target's output is printed.
run_lanes() {
    cargo bench --quiet --features iai "${benches[@]}" --no-run
    local logs
    logs=$(mktemp -d)
    local status=0 i
    printf '%s\n' "${groups[@]}" | xargs -P "${JOBS:-$(nproc)}" -I{} sh -c \
        'cargo bench --quiet --features iai --bench {}-iai -- --save-summary=json >"$1/{}.log" 2>&1 || echo {} >>"$1/failed"' _ "$logs"
    for i in "${groups[@]}"; do
        if [[ ${1:-} != quiet ]] || grep -qx "$i" "$logs/failed" 2>/dev/null; then cat "$logs/$i.log"; fi
    done
    if [[ -s $logs/failed ]]; then
        echo "error: the instruction-count twins of $(paste -sd, "$logs/failed") failed; their output is above" >&2
        status=1
    fi
    rm -rf "$logs"
    return $status
}
runs=()
[[ $mode != spread && $mode != record ]] || rm -rf target/iai-runs
start=$SECONDS
for ((run = 1; run <= repeats; run++)); do
    # Only this run's summaries may be read back; iai-callgrind's own history (.old files) stays.
    find target/iai -name summary.json -delete 2>/dev/null || true
    if [[ $mode == spread || $mode == record ]]; then
        left=""
        ((run > 1)) && left=", about $(((SECONDS - start) * (repeats - run + 1) / (run - 1))) s left"
        echo "== run $run of $repeats$left" >&2
        run_lanes quiet
        runs+=("target/iai-runs/run-$run.json")
        ethbench iai record "${runs[-1]}"
    else
        run_lanes
    fi
done

case $mode in
    check) ethbench iai check "$@" ;;
    report) ethbench iai check --report "$@" ;;
    save-baseline) ethbench iai save ;;
    spread) ethbench iai spread --write "${runs[@]}" ;;
esac
