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

exec scripts/spec-python.sh scripts/own_fixtures.py "$@"
