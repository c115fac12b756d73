#!/usr/bin/env bash
# Fill the project's own state tests and blockchain test with the Ethereum
# execution specification (PyPI `ethereum-execution`, pinned), never with revm.
#
#   scripts/own-fixtures.sh           write fixtures/statetests/ethbench_own.json,
#                                     fixtures/blocktests/ethbench_own_chain.json and
#                                     fixtures/corrupted/ethbench_own_chain_wrong_post_root.json
#   scripts/own-fixtures.sh --check   recompute them and fail unless the committed files are reproduced exactly
#
# After writing, run `cargo run --release --bin gen-fixtures` so the fixture
# manifest records the new checksums.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGE=ethereum-execution==2.20.0
venv=target/execution-specs

if [[ ! -x $venv/bin/python ]] || ! "$venv/bin/python" -c 'import ethereum.forks.prague' 2>/dev/null; then
    echo "installing $PACKAGE (PyPI) into $venv" >&2
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "$PACKAGE" >&2
fi
"$venv/bin/python" scripts/own_fixtures.py "$@"
