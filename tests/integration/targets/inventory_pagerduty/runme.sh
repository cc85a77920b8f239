#!/usr/bin/env bash
# The oncall.pagerduty.pagerduty inventory source against the PagerDuty simulator: --list and --graph
# compared with golden files, the cache (a cached run sends no request), filters, constructed
# features and errors. The simulator URL comes from integration_config.yml (written by
# scripts/integration.sh) or from PD_SIMULATOR_URL.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
config="${here}/../../integration_config.yml"
url="${PD_SIMULATOR_URL:-}"
if [ -f "${config}" ]; then
    url="$(sed -n 's/^pd_api_url: *//p' "${config}" | tr -d "\"' ")"
fi
[ -n "${url}" ] || { echo "no simulator URL: set pd_api_url in integration_config.yml or PD_SIMULATOR_URL" >&2; exit 1; }

work="${OUTPUT_DIR:-$(mktemp -d)}/inventory_pagerduty"
rm -rf "${work}"
mkdir -p "${work}"
simctl() { python "${here}/files/simctl.py" "${url}" "$@"; }
export ANSIBLE_INVENTORY_UNPARSED_FAILED=true ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED=true
export ANSIBLE_NOCOLOR=1 ANSIBLE_FORCE_COLOR=0
unset PAGERDUTY_API_TOKEN PAGERDUTY_API_URL

fail() { echo "FAILED: $*" >&2; exit 1; }

# source NAME [extra YAML lines...]: write ${work}/NAME.pagerduty.yml
source_file() {
    local name="$1"
    shift
    {
        echo "plugin: oncall.pagerduty.pagerduty"
        echo "api_url: ${url}"
        echo "api_token: sim-read-token"
        printf '%s\n' "$@"
    } > "${work}/${name}.pagerduty.yml"
    echo "${work}/${name}.pagerduty.yml"
}

simctl reset
simctl seed "${here}/files/seed.json"
simctl disable-service PSVC002

# -- golden --list and --graph: every resource kind, on-call, compose, groups, keyed_groups --------
full="$(source_file full \
    "resources: [services, escalation_policies, schedules, users]" \
    "include_oncall: true" \
    "compose:" \
    "  level_one: pd_oncall | default([]) | selectattr('level', 'equalto', 1) | map(attribute='users') | flatten | map(attribute='email') | list" \
    "groups:" \
    "  production: \"'prod' in pd_name\"" \
    "keyed_groups:" \
    "  - key: pd_integrations | default([]) | map(attribute='type')" \
    "    prefix: via" \
    "strict: true")"
ansible-inventory -i "${full}" --list > "${work}/list.json"
python "${here}/files/simctl.py" normalise < "${work}/list.json" > "${work}/list.normalised.json"
diff -u "${here}/files/golden_list.json" "${work}/list.normalised.json" || fail "--list differs from files/golden_list.json"
ansible-inventory -i "${full}" --graph > "${work}/graph.txt"
diff -u "${here}/files/golden_graph.txt" "${work}/graph.txt" || fail "--graph differs from files/golden_graph.txt"
echo "ok: --list and --graph match the golden files"

# -- cache: the second run is answered from the cache and sends no request at all ------------------
cached="$(source_file cached \
    "cache: true" \
    "cache_plugin: ansible.builtin.jsonfile" \
    "cache_connection: ${work}/cache")"
simctl clear-log
ansible-inventory -i "${cached}" --list > "${work}/cached1.json"
[ "$(simctl count-log)" -gt 0 ] || fail "the first cached run sent no request"
simctl clear-log
ansible-inventory -i "${cached}" --list > "${work}/cached2.json"
[ "$(simctl count-log)" -eq 0 ] || fail "the second cached run sent $(simctl count-log) request(s)"
cmp -s "${work}/cached1.json" "${work}/cached2.json" || fail "the cached run gave another inventory"
ansible-inventory -i "${cached}" --list --flush-cache > /dev/null
[ "$(simctl count-log)" -gt 0 ] || fail "--flush-cache did not fetch again"
echo "ok: a cached run sends no request"

# -- filters: teams by name, statuses (client-side), query, hostnames=id ---------------------------
filtered="$(source_file filtered "teams: [SRE Team, PTEAM02]" "statuses: [active]")"
hosts="$(ansible-inventory -i "${filtered}" --graph pagerduty_services)"
grep -q -- '--Web Frontend$' <<<"${hosts}" || fail "teams/statuses lost Web Frontend: ${hosts}"
grep -q -- '--Search API$' <<<"${hosts}" || fail "teams/statuses lost Search API: ${hosts}"
! grep -q 'Checkout' <<<"${hosts}" || fail "statuses: [active] kept the disabled Checkout service"
queried="$(source_file queried "query: search" "hostnames: id")"
hosts="$(ansible-inventory -i "${queried}" --graph pagerduty_services)"
if [ "$(grep -c -- '--' <<<"${hosts}")" -ne 1 ] || ! grep -q -- '--PSVC003$' <<<"${hosts}"; then
    fail "query/hostnames: ${hosts}"
fi
echo "ok: filters"

# -- errors: one clear message, no traceback, never the token --------------------------------------
expect_error() {
    local file="$1" pattern="$2" out
    if out="$(ansible-inventory -i "${file}" --list 2>&1)"; then
        fail "ansible-inventory succeeded with ${file}"
    fi
    grep -q "${pattern}" <<<"${out}" || fail "no '${pattern}' in: ${out}"
    ! grep -q "Traceback" <<<"${out}" || fail "a traceback: ${out}"
    ! grep -q "wrong-secret-token" <<<"${out}" || fail "the token was shown: ${out}"
}
bad="$(source_file bad)"
sed -i 's/^api_token: .*/api_token: wrong-secret-token/' "${bad}"
expect_error "${bad}" "failed with HTTP 401: Authentication failed"
expect_error "$(source_file noteam "teams: [No Such Team]")" "teams: no team with id or name 'No Such Team' exists"
expect_error "$(source_file badgroup "strict: true" "compose:" "  x: no_such_variable.y")" "no_such_variable"
echo "ok: errors"
