#!/usr/bin/env bash
# The block pipeline's generated blocks, filled by the Ethereum execution
# specification on the 10^4 tier (scripts/pipeline_reference.py).
#
#   scripts/pipeline-reference.sh [--block mixed_3m]           write fixtures/pipeline/<block>.json (all blocks, or one)
#   scripts/pipeline-reference.sh [--block mixed_3m] --check   recompute and compare with the committed file
set -euo pipefail
exec "$(dirname "$0")/spec-python.sh" "$(dirname "$0")/pipeline_reference.py" "$@"
