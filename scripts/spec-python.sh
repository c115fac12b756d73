#!/usr/bin/env bash
# Python with the Ethereum execution specification (PyPI `ethereum-execution`,
# pinned) installed in target/execution-specs: what the suite's independent
# expected values are computed with.
#
#   scripts/spec-python.sh SCRIPT [ARGS…]
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGE=ethereum-execution==2.20.0
venv=target/execution-specs

if [[ ! -x $venv/bin/python ]] || ! "$venv/bin/python" -c 'import ethereum.forks.prague' 2>/dev/null; then
    echo "installing $PACKAGE (PyPI) into $venv" >&2
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "$PACKAGE" >&2
fi
exec "$venv/bin/python" "$@"
