#!/usr/bin/env bash
# Run every benchmarks/*.py (if any; not _*.py, report.py last) with .venv's python against the simulator,
# started with --latency "${PD_BENCH_LATENCY:-0.05}" (seconds before every API answer). benchmarks/report.py
# then writes benchmarks/results.md from the results in $PD_BUILD_DIR/bench. PD_BENCH_SCALE (default 1.0)
# scales the account of benchmarks/account.py. PD_BENCH_ONLY (names such as "inventory_10k", space-separated)
# runs only those and keeps the other results of the last run for the report. See docs/performance.md.
set -euo pipefail
# shellcheck source=scripts/common.sh
. "$(dirname "$0")/common.sh"

shopt -s nullglob
benches=()
for bench in "${ROOT}"/benchmarks/*.py; do
    case "$(basename "${bench}")" in
        _*|report.py) ;;
        *)
            name="$(basename "${bench}" .py)"
            if [ -z "${PD_BENCH_ONLY:-}" ] || [[ " ${PD_BENCH_ONLY} " == *" ${name} "* ]]; then
                benches+=("${bench}")
            fi
            ;;
    esac
done
if [ "${#benches[@]}" -eq 0 ]; then
    log "no benchmarks/*.py yet: nothing to run"
    exit 0
fi
if [ "${1:-}" != "--inner" ]; then
    export PD_BENCH_LATENCY="${PD_BENCH_LATENCY:-0.05}"
    export PD_BENCH_STARTED="${PD_BENCH_STARTED:-$(date +%s)}"
    export PD_SIM_ARGS="${PD_SIM_ARGS:+${PD_SIM_ARGS} }--latency ${PD_BENCH_LATENCY}"
    log "simulator latency ${PD_BENCH_LATENCY} s per request, account scale ${PD_BENCH_SCALE:-1.0}"
    exec "$(dirname "$0")/with-simulator.sh" "$0" --inner "$@"
fi
use_venv "${VENV_219}"
export ANSIBLE_COLLECTIONS_PATH="${COLLECTIONS_DIR}"
export PD_BUILD_DIR="${BUILD_DIR}"   # the benchmarks write their results to $PD_BUILD_DIR/bench
cd "${ROOT}"
[ -n "${PD_BENCH_ONLY:-}" ] || rm -rf "${BUILD_DIR}/bench"
for bench in "${benches[@]}"; do
    log "benchmark ${bench#"${ROOT}"/}"
    python "${bench}"
done
if [ -f "${ROOT}/benchmarks/report.py" ]; then
    log "report benchmarks/results.md"
    python "${ROOT}/benchmarks/report.py"
fi
