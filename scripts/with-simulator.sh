#!/usr/bin/env bash
# Start the PagerDuty API simulator, run a command with its URL exported, and
# always stop the simulator afterwards. The command's exit status is returned.
#   scripts/with-simulator.sh COMMAND [ARGS...]
# Exports PD_SIMULATOR_URL, PAGERDUTY_API_URL and PAGERDUTY_API_TOKEN (write token).
set -euo pipefail
# shellcheck source=scripts/common.sh
. "$(dirname "$0")/common.sh"

[ "$#" -gt 0 ] || die "usage: $0 COMMAND [ARGS...]"
SIM="${ROOT}/tests/simulator/run.py"
[ -f "${SIM}" ] || die "the simulator (tests/simulator/run.py) does not exist yet"
SIM_PYTHON="${SIM_PYTHON:-${VENV_219}/bin/python}"
[ -x "${SIM_PYTHON}" ] || die "${SIM_PYTHON} missing; run 'make venv' first"

URL_FILE="${BUILD_DIR}/sim.url"
LOG_FILE="${BUILD_DIR}/sim.log"
mkdir -p "${BUILD_DIR}"
rm -f "${URL_FILE}"

sim_pid=""
stop_simulator() {
    if [ -n "${sim_pid}" ] && kill -0 "${sim_pid}" 2>/dev/null; then
        log "stopping the simulator (pid ${sim_pid})"
        kill "${sim_pid}" 2>/dev/null || true
        for _ in $(seq 1 50); do
            kill -0 "${sim_pid}" 2>/dev/null || break
            sleep 0.1
        done
        kill -9 "${sim_pid}" 2>/dev/null || true
        wait "${sim_pid}" 2>/dev/null || true
    fi
    sim_pid=""
}
trap stop_simulator EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

cd "${ROOT}"
"${SIM_PYTHON}" "${SIM}" --port 0 --url-file "${URL_FILE}" </dev/null >"${LOG_FILE}" 2>&1 &
sim_pid=$!

url=""
for _ in $(seq 1 300); do   # up to 30 s
    if [ -s "${URL_FILE}" ]; then
        url="$(head -n1 "${URL_FILE}" | tr -d '[:space:]')"
        url="${url#PD_SIMULATOR_URL=}"
    fi
    if [ -z "${url}" ]; then
        url="$(sed -n 's/^PD_SIMULATOR_URL=\(.*\)$/\1/p' "${LOG_FILE}" | head -n1 | tr -d '[:space:]')"
    fi
    [ -n "${url}" ] && break
    if ! kill -0 "${sim_pid}" 2>/dev/null; then
        cat "${LOG_FILE}" >&2
        die "the simulator exited before printing its URL"
    fi
    sleep 0.1
done
if [ -z "${url}" ]; then
    cat "${LOG_FILE}" >&2
    die "the simulator did not report its URL within 30 s"
fi
log "simulator running at ${url} (pid ${sim_pid}, log ${LOG_FILE})"

export PD_SIMULATOR_URL="${url}"
export PAGERDUTY_API_URL="${url}"
export PAGERDUTY_API_TOKEN="${PAGERDUTY_API_TOKEN:-sim-write-token}"

status=0
"$@" || status=$?
stop_simulator
exit "${status}"
