#!/usr/bin/env bash
# Recompile the Solidity fixtures with the pinned solc (npm package solc, run by Node).
#
#   scripts/solc.sh           compile fixtures/evm/contracts/*.sol into build.json
#   scripts/solc.sh --check   recompile and fail unless build.json is reproduced exactly
#
# The benches read the committed build.json and never need Node. After
# recompiling, run `cargo run --release --bin gen-fixtures` so the fixture
# manifest records the new checksum.
set -euo pipefail
cd "$(dirname "$0")/.."

SOLC_VERSION=0.8.30
prefix=target/solc-$SOLC_VERSION

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    echo "error: Node.js and npm are needed to run solc; install them (Debian/Ubuntu: apt-get install nodejs npm) and re-run" >&2
    exit 2
fi
if [[ ! -f $prefix/node_modules/solc/package.json ]]; then
    echo "installing solc@$SOLC_VERSION (npm) into $prefix" >&2
    mkdir -p "$prefix"
    npm install --silent --no-audit --no-fund --prefix "$prefix" "solc@$SOLC_VERSION" >&2
fi
node scripts/solc.mjs fixtures/evm/contracts "$PWD/$prefix/node_modules/solc" "${1:-}"
