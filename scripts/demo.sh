#!/usr/bin/env bash
# make demo: the sample account in docs/examples/demo/ against the local simulator, step by step:
# apply it with the account role, apply it again (changed=0), review an edit with --check --diff,
# the inventory graph, who is on call (pd_oncall lookup), export the account and apply the export
# back in check mode (changed=0). scripts/with-simulator.sh starts and always stops the simulator.
set -euo pipefail
# shellcheck source=scripts/common.sh
. "$(dirname "$0")/common.sh"

if [ "${1:-}" != "--inner" ]; then
    exec "$(dirname "$0")/with-simulator.sh" "$0" --inner "$@"
fi
shift

demo="${ROOT}/docs/examples/demo"
use_venv "${VENV_219}"
export ANSIBLE_COLLECTIONS_PATH="${COLLECTIONS_DIR}"
export ANSIBLE_FORCE_COLOR=0 ANSIBLE_NOCOLOR=1
export ANSIBLE_LOCALHOST_WARNING=False ANSIBLE_INVENTORY_UNPARSED_WARNING=False
export ANSIBLE_CALLBACK_RESULT_FORMAT=yaml
cd "${ROOT}"
exported="${BUILD_DIR}/demo-export.yml"
out=""

play() {  # ansible-playbook ARGS...: its output in $out; on failure the output is shown and the demo stops
    out="$(ansible-playbook "$@" 2>&1)" || { printf '%s\n' "${out}"; die "ansible-playbook $* failed"; }
}

between() {  # the lines of $out after the first line matching $1, up to (not including) the next matching $2
    awk -v start="$1" -v stop="$2" 'found && $0 ~ stop {exit} found {print} $0 ~ start {found=1}' <<< "${out}"
}

recap() {  # the PLAY RECAP line of the last run; with an argument, the changed count it must show
    local line
    line="$(grep -E '^localhost +:' <<< "${out}" | tail -1)"
    printf '    %s\n' "${line}"
    if [ -n "${1:-}" ] && ! grep -q "changed=$1 " <<< "${line}"; then
        die "expected changed=$1"
    fi
}

log "demo 1/7: apply the sample account (3 teams, 10 users, 2 schedules, 2 escalation policies, 4 services, a business service, 3 dependencies, a tag)"
play "${demo}/apply.yml"
between 'Sum up what changed' 'PLAY RECAP'
recap

log "demo 2/7: apply it again: nothing changes, no write is sent"
play "${demo}/apply.yml"
recap 0

log "demo 3/7: review an edit (a service's description) with --check --diff: the diff, no write"
extra="$(python -c 'import json; print(json.dumps({"demo_checkout_description": "Payments, checkout and refunds"}))')"
play "${demo}/apply.yml" --check --diff -e "${extra}"
grep -E '^(---|\+\+\+|[-+] )' <<< "${out}" || true
recap 1

log "demo 4/7: the inventory plugin: services grouped by team, escalation policy and status"
ansible-inventory -i "${demo}/demo.pagerduty.yml" --graph

log "demo 5/7: who is on call now (the pd_oncall lookup)"
play "${demo}/oncall.yml"
between 'On call for Payments' 'PLAY RECAP'

log "demo 6/7: export the account as the account role's variables (${exported})"
play oncall.pagerduty.export -e "dest=${exported}"
between 'Sum up' 'PLAY RECAP'
head -24 "${exported}"
echo "    ..."

log "demo 7/7: apply the export back with --check: the round trip changes nothing"
play "${demo}/apply.yml" --check -e "account_file=${exported}"
recap 0
log "demo done: the simulator stops now"
