#!/usr/bin/env bash
# Build the collection artifact into build/dist. It is built from the collection tree
# (git-tracked files only), so build/, venvs and other local files never end up in it.
set -euo pipefail
# shellcheck source=scripts/common.sh
. "$(dirname "$0")/common.sh"

use_venv "${VENV_219}"
mkdir -p "${BUILD_DIR}/dist"
cd "${TREE}"
ansible-galaxy collection build --force --output-path "${BUILD_DIR}/dist" .
