#!/usr/bin/env bash
# Fill the worst case of each family (fixtures/worstcase/programs.json, which
# `ethbench worst --from … --programs …` writes) as a state test and a
# one-block blockchain test, with the Ethereum execution specification (PyPI
# `ethereum-execution`, pinned), never with revm.
#
#   scripts/worstcase-fixtures.sh           write fixtures/worstcase/state_tests.json
#                                           and fixtures/worstcase/blockchain_tests.json
#   scripts/worstcase-fixtures.sh --check   recompute them and fail unless the committed files are reproduced exactly
#
# After writing, run `cargo run --release --bin gen-fixtures` so the fixture
# manifest records the new checksums.
set -euo pipefail
cd "$(dirname "$0")/.."

exec scripts/spec-python.sh scripts/worstcase_fixtures.py "$@"
