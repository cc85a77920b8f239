#!/usr/bin/env bash
# antsibull-docs lint of the collection's documentation, plugin docs included.
set -euo pipefail
# shellcheck source=scripts/common.sh
. "$(dirname "$0")/common.sh"

use_venv "${VENV_219}"
export ANSIBLE_COLLECTIONS_PATH="${COLLECTIONS_DIR}"
cd "${TREE}"
log "antsibull-docs lint-collection-docs --plugin-docs ."
antsibull-docs lint-collection-docs --plugin-docs .
log "antsibull-changelog lint (changelog fragments)"
antsibull-changelog lint
