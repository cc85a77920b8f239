#!/usr/bin/env bash
# make molecule: `molecule test` (extensions/molecule/default: converge, idempotence, verify) in the
# collection tree, against the simulator that scripts/with-simulator.sh starts and always stops.
set -euo pipefail
# shellcheck source=scripts/common.sh
. "$(dirname "$0")/common.sh"

if [ "${1:-}" != "--inner" ]; then
    exec "$(dirname "$0")/with-simulator.sh" "$0" --inner "$@"
fi
shift

[ -d "${TREE}" ] || die "no collection tree at ${TREE}; run 'make collection-tree'"
use_venv "${VENV_219}"
export ANSIBLE_COLLECTIONS_PATH="${COLLECTIONS_DIR}"
export ANSIBLE_FORCE_COLOR=0 ANSIBLE_NOCOLOR=1 NO_COLOR=1
export PAGERDUTY_FROM_EMAIL=owner@example.com
export MOLECULE_PROJECT_DIRECTORY="${TREE}"
cd "${TREE}"
log "molecule test (extensions/molecule/default)"
molecule test -s default
