#!/usr/bin/env bash
# Run ansible-test from a given venv inside the collection tree.
#   scripts/ansible-test.sh 2.19|2.21 <ansible-test arguments...>
# The collection tree must exist (make collection-tree).
set -euo pipefail
# shellcheck source=scripts/common.sh
. "$(dirname "$0")/common.sh"

case "${1:-}" in
    2.19) venv="${VENV_219}" ;;
    2.21) venv="${VENV_221}" ;;
    *) die "usage: $0 2.19|2.21 ARGS..." ;;
esac
shift
use_venv "${venv}"
[ -f "${TREE}/galaxy.yml" ] || die "no collection tree at ${TREE}; run 'make collection-tree'"
cd "${TREE}"
log "ansible-test $* ($(core_version "${venv}"))"
exec ansible-test "$@"
