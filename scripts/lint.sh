#!/usr/bin/env bash
# ansible-lint (config: .ansible-lint, production profile, offline) in the collection tree.
set -euo pipefail
# shellcheck source=scripts/common.sh
. "$(dirname "$0")/common.sh"

use_venv "${VENV_219}"
export ANSIBLE_COLLECTIONS_PATH="${COLLECTIONS_DIR}"
export NO_COLOR=1
cd "${TREE}"
log "ansible-lint in ${TREE}"
ansible-lint --nocolor
