#!/usr/bin/env bash
# Build the collection, install the tarball into an empty collections path, then prove the
# installed copy works: ansible-doc renders pd_team with the shared connection options, an ad hoc
# `ansible localhost -m oncall.pagerduty.pd_team_info` finds a team in the simulator, and the flow of
# docs/testing.md runs: the collection's playbook oncall.pagerduty.simulator starts its own simulator
# seeded from docs/examples/testing/seed.yml, docs/examples/testing/site.yml runs against it in check
# mode (no write), for real (changed) and again (changed=0), the request log is read and it is stopped.
set -euo pipefail
# shellcheck source=scripts/common.sh
. "$(dirname "$0")/common.sh"

if [ "${1:-}" != "--inner" ]; then
    "$(dirname "$0")/build.sh"
    exec "$(dirname "$0")/with-simulator.sh" "$0" --inner "$@"
fi

use_venv "${VENV_219}"
export ANSIBLE_FORCE_COLOR=0 ANSIBLE_NOCOLOR=1 ANSIBLE_LOCALHOST_WARNING=0
version="$(sed -n 's/^version: *//p' "${ROOT}/galaxy.yml")"
tarball="${BUILD_DIR}/dist/oncall-pagerduty-${version}.tar.gz"
[ -f "${tarball}" ] || die "${tarball} was not built"

installed="$(mktemp -d "${BUILD_DIR}/installed.XXXXXX")"
user_sim_dir="$(mktemp -d "${BUILD_DIR}/user-simulator.XXXXXX")"
# Whatever happens, the simulator started by the collection's playbook (below) is stopped.
cleanup() {
    local status=$? pid
    pid="$(cat "${user_sim_dir}/simulator.pid" 2>/dev/null || true)"
    if [ -n "${pid}" ] && kill -0 "${pid}" 2>/dev/null; then
        log "stopping the leftover simulator (pid ${pid})"
        kill -TERM "${pid}" 2>/dev/null || true
    fi
    if [ "${status}" -ne 0 ] && [ -s "${user_sim_dir}/simulator.log" ]; then
        log "output of the playbook's simulator:"
        cat "${user_sim_dir}/simulator.log" >&2
    fi
    rm -rf "${installed}" "${user_sim_dir}"
}
trap cleanup EXIT
ansible-galaxy collection install --offline -p "${installed}" "${tarball}"
export ANSIBLE_COLLECTIONS_PATH="${installed}"
cd "${installed}"

doc="$(ansible-doc oncall.pagerduty.pd_team)"
for option in api_token auth_type region api_url from_email validate_certs ca_path timeout max_retries default_role; do
    grep -Eq "^[-= ]+${option} " <<<"${doc}" || die "ansible-doc oncall.pagerduty.pd_team does not show ${option}"
done
log "ansible-doc oncall.pagerduty.pd_team renders with the connection options"

"${VENV_219}/bin/python" "${ROOT}/tests/simulator/control.py" seed --data '{"teams": [{"name": "Packaged Team"}]}' >/dev/null
out="$(ansible localhost -m oncall.pagerduty.pd_team_info -a 'name="Packaged Team"' \
    -e ansible_python_interpreter="${VENV_219}/bin/python")"
echo "${out}"
grep -q 'localhost | SUCCESS' <<<"${out}" || die "the installed pd_team_info did not succeed"
grep -q '"name": "Packaged Team"' <<<"${out}" || die "the installed pd_team_info did not return the team"
log "the installed collection ran pd_team_info against the simulator"

# --- docs/testing.md: test a playbook against the simulator of the installed collection ----------------
# Its own simulator, started by the collection's playbook; the variables of with-simulator.sh's one are
# dropped, the env file gives PAGERDUTY_* for this part only (a subshell).
user_flow() {
    unset PD_SIMULATOR_URL PAGERDUTY_API_URL PAGERDUTY_API_TOKEN PAGERDUTY_FROM_EMAIL
    local outer_url="$1" examples="${ROOT}/docs/examples/testing" spec out pid count
    local dir_var
    dir_var="$(python -c 'import json, sys; print(json.dumps({"simulator_dir": sys.argv[1]}))' "${user_sim_dir}")"
    simulator() { ansible-playbook oncall.pagerduty.simulator -e "${dir_var}" "$@"; }
    # Validate against PagerDuty's OpenAPI document when this checkout has it (the tarball does not ship it).
    spec="${PD_SIM_OPENAPI:-${ROOT}/../shared/pagerduty-openapi/openapiv3.json}"
    local spec_args=()
    if [ -f "${spec}" ]; then
        spec_args=(-e "simulator_spec=${spec}")
    fi

    log "docs/testing.md: start the simulator with ansible-playbook oncall.pagerduty.simulator, seeded"
    out="$(simulator -e "simulator_seed=${examples}/seed.yml" "${spec_args[@]}")" || { echo "${out}"; die "starting the simulator failed"; }
    echo "${out}"
    grep -q 'PagerDuty simulator started at http://127.0.0.1:' <<<"${out}" || die "the playbook did not report a started simulator"
    pid="$(cat "${user_sim_dir}/simulator.pid")"
    kill -0 "${pid}" 2>/dev/null || die "the simulator (pid ${pid}) is not running after ansible-playbook exited"
    [ -f "${user_sim_dir}/env" ] || die "no env file in ${user_sim_dir}"
    # shellcheck source=/dev/null
    . "${user_sim_dir}/env"
    if [ -z "${PAGERDUTY_API_URL:-}" ] || [ "${PAGERDUTY_API_URL}" != "${PD_SIMULATOR_URL:-}" ]; then
        die "the env file does not set PAGERDUTY_API_URL and PD_SIMULATOR_URL"
    fi
    [ "${PAGERDUTY_API_URL}" != "${outer_url}" ] || die "the playbook's simulator is with-simulator.sh's one"
    if [ "${PAGERDUTY_API_TOKEN:-}" != sim-write-token ] || [ "${PAGERDUTY_FROM_EMAIL:-}" != owner@example.com ]; then
        die "the env file does not set PAGERDUTY_API_TOKEN and PAGERDUTY_FROM_EMAIL"
    fi
    count="$(python "${ROOT}/tests/simulator/control.py" requests --count)"
    [ "${count}" = 0 ] || die "the request log holds ${count} requests after seeding; it should be empty"
    local spec_loaded=no
    if [ "${#spec_args[@]}" -gt 0 ]; then
        spec_loaded=yes
    fi
    python "${ROOT}/tests/simulator/control.py" state | python -c '
import json, sys
state = json.load(sys.stdin)
teams = {team["name"] for team in state["teams"]}
users = {user["email"] for user in state["users"]}
assert "SRE" in teams and "alice@example.com" in users, (teams, users)
assert state["strict"] is False, "the default mode is not strict"
assert state["spec_validation"] is (sys.argv[1] == "yes"), state["spec_validation"]
' "${spec_loaded}" || die "the seed or the simulator's mode is not as documented"
    log "the simulator runs detached (pid ${pid}) at ${PAGERDUTY_API_URL}, seeded, with an empty request log"

    out="$(simulator)"
    grep -q "PagerDuty simulator already running at ${PAGERDUTY_API_URL} (pid ${pid})" <<<"${out}" \
        || { echo "${out}"; die "a second start did not report the running simulator"; }
    log "a second start reports the running simulator instead of starting another"

    log "docs/testing.md: site.yml --check --diff"
    out="$(ansible-playbook "${examples}/site.yml" --check --diff)" || { echo "${out}"; die "site.yml --check failed"; }
    echo "${out}"
    grep -Eq 'changed=[1-9][0-9]* +unreachable=0 +failed=0' <<<"${out}" || die "site.yml --check predicted no change"
    simulator -e simulator_state=requests >/dev/null
    python - "${user_sim_dir}/requests.json" <<'PY' || die "site.yml --check sent a write request"
import json, sys
entries = json.load(open(sys.argv[1], encoding="utf-8"))
writes = [f"{e['method']} {e['path']}" for e in entries if e["method"] in ("POST", "PUT", "PATCH", "DELETE")]
assert entries and not writes, writes or "no request at all"
PY
    log "site.yml --check made $(python -c 'import json, sys; print(len(json.load(open(sys.argv[1]))))' "${user_sim_dir}/requests.json") requests, no write"

    log "docs/testing.md: site.yml (applies)"
    out="$(ansible-playbook "${examples}/site.yml")" || { echo "${out}"; die "site.yml failed"; }
    echo "${out}"
    grep -Eq 'changed=[1-9][0-9]* +unreachable=0 +failed=0' <<<"${out}" || die "site.yml changed nothing on its first run"

    log "docs/testing.md: site.yml again (changed=0)"
    out="$(ansible-playbook "${examples}/site.yml")" || { echo "${out}"; die "site.yml failed on its second run"; }
    echo "${out}"
    grep -Eq 'ok=[0-9]+ +changed=0 +unreachable=0 +failed=0' <<<"${out}" || die "site.yml is not idempotent (second run changed something)"

    log "docs/testing.md: the request log (simulator_state=requests)"
    out="$(simulator -e simulator_state=requests)" || { echo "${out}"; die "simulator_state=requests failed"; }
    echo "${out}"
    grep -q '"simulator_requests_summary"' <<<"${out}" || die "simulator_state=requests printed no summary"
    python - "${user_sim_dir}/requests.json" <<'PY' || die "the request log is not as expected"
import json, sys
entries = json.load(open(sys.argv[1], encoding="utf-8"))
writes = [e for e in entries if e["method"] in ("POST", "PUT", "PATCH", "DELETE")]
paths = {e["path"] for e in writes}
assert {"/teams", "/users", "/services"} <= paths, paths
deviations = [(e["method"], e["path"], e["spec_deviations"]) for e in entries if e.get("spec_deviations")]
failures = [(e["method"], e["path"], e["status"], e["spec_violations"]) for e in entries if (e["status"] or 0) >= 400]
assert not deviations, deviations
assert not failures, failures
print(f"{len(entries)} requests, {len(writes)} writes, no spec deviation, no error answer")
PY

    log "docs/testing.md: stop it (simulator_state=stopped)"
    out="$(simulator -e simulator_state=stopped)" || { echo "${out}"; die "simulator_state=stopped failed"; }
    grep -q "Stopped the simulator (pid ${pid})" <<<"${out}" || { echo "${out}"; die "simulator_state=stopped did not stop pid ${pid}"; }
    if kill -0 "${pid}" 2>/dev/null; then die "the simulator (pid ${pid}) still runs after simulator_state=stopped"; fi
    if [ -e "${user_sim_dir}/simulator.pid" ] || [ -e "${user_sim_dir}/env" ]; then
        die "the pid or env file is left after the stop"
    fi
    out="$(simulator -e simulator_state=stopped)" || die "simulator_state=stopped failed with nothing running"
    grep -q 'No simulator was running' <<<"${out}" || die "a second stop did not say that nothing runs"

    log "docs/testing.md: without simulator_spec the installed simulator validates nothing against the OpenAPI document; simulator_strict=true"
    out="$(env -u PD_SIM_OPENAPI ansible-playbook oncall.pagerduty.simulator -e "${dir_var}" -e simulator_strict=true)" \
        || { echo "${out}"; die "starting the simulator in strict mode failed"; }
    grep -q 'OpenAPI validation: off (no simulator_spec); strict: true' <<<"${out}" \
        || { echo "${out}"; die "the installed simulator without simulator_spec is not as documented (no validation, strict)"; }
    pid="$(cat "${user_sim_dir}/simulator.pid")"
    simulator -e simulator_state=stopped >/dev/null
    if kill -0 "${pid}" 2>/dev/null; then die "the strict simulator (pid ${pid}) still runs after simulator_state=stopped"; fi
    log "the installed collection's simulator playbook ran the flow of docs/testing.md"
}
( user_flow "${PD_SIMULATOR_URL:-}" )
