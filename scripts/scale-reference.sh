#!/usr/bin/env bash
# The state roots of the state at scale's smallest tier, computed by the
# Ethereum execution specification (scripts/scale_reference.py).
#
#   scripts/scale-reference.sh [--tier 1e5|1e6]           write fixtures/scale/1e4.json (or 1e5, 1e6)
#   scripts/scale-reference.sh [--tier 1e5|1e6] --check   recompute and compare with the committed file
set -euo pipefail
exec "$(dirname "$0")/spec-python.sh" "$(dirname "$0")/scale_reference.py" "$@"
