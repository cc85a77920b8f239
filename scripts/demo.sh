#!/usr/bin/env bash
# Run docs/examples/demo.yml three times against the simulator:
# apply, re-apply (expect no changes), then --check --diff with a changed description.
set -euo pipefail
# shellcheck source=scripts/common.sh
. "$(dirname "$0")/common.sh"

if [ "${1:-}" != "--inner" ]; then
    exec "$(dirname "$0")/with-simulator.sh" "$0" --inner "$@"
fi
shift

playbook="${ROOT}/docs/examples/demo.yml"
[ -f "${playbook}" ] || die "${playbook} does not exist yet"
use_venv "${VENV_219}"
export ANSIBLE_COLLECTIONS_PATH="${COLLECTIONS_DIR}"
export ANSIBLE_FORCE_COLOR=0 ANSIBLE_NOCOLOR=1
export ANSIBLE_LOCALHOST_WARNING=False ANSIBLE_INVENTORY_UNPARSED_WARNING=False
cd "${ROOT}"

log "demo 1/3: first run (creates the resources)"
ansible-playbook "${playbook}"
log "demo 2/3: second run (should report no changes)"
ansible-playbook "${playbook}"
log "demo 3/3: --check --diff with a changed description (no write is sent)"
# JSON extra vars: key=value would cut the value at the first space.
extra="$(python -c 'import json, sys; print(json.dumps({"demo_description": sys.argv[1]}))' \
    "${DEMO_DESCRIPTION:-Changed by make demo (check mode)}")"
ansible-playbook "${playbook}" --check --diff -e "${extra}"
