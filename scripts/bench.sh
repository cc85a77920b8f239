#!/usr/bin/env bash
# Run every benchmarks/*.py (if any) with .venv's python against the simulator.
set -euo pipefail
# shellcheck source=scripts/common.sh
. "$(dirname "$0")/common.sh"

shopt -s nullglob
benches=("${ROOT}"/benchmarks/*.py)
if [ "${#benches[@]}" -eq 0 ]; then
    log "no benchmarks/*.py yet: nothing to run"
    exit 0
fi
if [ "${1:-}" != "--inner" ]; then
    exec "$(dirname "$0")/with-simulator.sh" "$0" --inner "$@"
fi
use_venv "${VENV_219}"
export ANSIBLE_COLLECTIONS_PATH="${COLLECTIONS_DIR}"
export PD_BUILD_DIR="${BUILD_DIR}"   # the benchmarks write their results to $PD_BUILD_DIR/bench
cd "${ROOT}"
for bench in "${benches[@]}"; do
    log "benchmark ${bench#"${ROOT}"/}"
    python "${bench}"
done
