#!/usr/bin/env bash
# Start the PagerDuty API simulator, run a command with its URL exported, and
# always stop the simulator afterwards. The command's exit status is returned.
#   scripts/with-simulator.sh COMMAND [ARGS...]
# Exports PD_SIMULATOR_URL, PAGERDUTY_API_URL and PAGERDUTY_API_TOKEN (write token).
# The simulator's stderr goes to $BUILD_DIR/sim.log, its URL also to $BUILD_DIR/sim.url.
# This is `tests/simulator/control.py run --strict` (the collection's own runs refuse anything outside the
# OpenAPI document), which also stops the simulator when it dies.
# PD_SIM_ARGS: extra arguments for `control.py run`, split on spaces (e.g. "--latency 0.05"; default none).
set -euo pipefail
# shellcheck source=scripts/common.sh
. "$(dirname "$0")/common.sh"

[ "$#" -gt 0 ] || die "usage: $0 COMMAND [ARGS...]"
CONTROL="${ROOT}/tests/simulator/control.py"
[ -f "${CONTROL}" ] || die "the simulator's control.py (tests/simulator/control.py) is missing"
SIM_PYTHON="${SIM_PYTHON:-${VENV_219}/bin/python}"
[ -x "${SIM_PYTHON}" ] || die "${SIM_PYTHON} missing; run 'make venv' first"

mkdir -p "${BUILD_DIR}"
rm -f "${BUILD_DIR}/sim.url"
cd "${ROOT}"
read -r -a sim_args <<< "${PD_SIM_ARGS:-}"
exec "${SIM_PYTHON}" "${CONTROL}" run --strict "${sim_args[@]}" --log "${BUILD_DIR}/sim.log" --url-file "${BUILD_DIR}/sim.url" -- "$@"
