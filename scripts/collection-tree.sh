#!/usr/bin/env bash
# Copy the checkout (tracked + untracked-not-ignored files) to
# build/ansible_collections/oncall/pagerduty, where ansible-test needs it.
# A symlink does not work: ansible-test resolves the cwd.
set -euo pipefail
# shellcheck source=scripts/common.sh
. "$(dirname "$0")/common.sh"

cd "${ROOT}"
rm -rf "${TREE}"
mkdir -p "${TREE}"
# -c lists tracked files that may have been deleted in the work tree: keep only existing ones.
git ls-files -z -co --exclude-standard \
    | while IFS= read -r -d '' f; do
        if [ -e "${f}" ] || [ -L "${f}" ]; then printf '%s\0' "${f}"; fi
    done \
    | tar -C "${ROOT}" --null -T - -cf - \
    | tar -C "${TREE}" -xf -
# build/ is git-ignored in the checkout, and ansible-test lists its content with git from
# the nearest .git upwards: give the copy its own (empty) repository so that it sees
# every copied file (untracked files count; .gitignore still applies).
git init -q "${TREE}"
log "collection tree: ${TREE} ($(find "${TREE}" -path "${TREE}/.git" -prune -o -type f -print | wc -l) files)"
# The simulator finds the OpenAPI spec at <collection root>/../shared; give the copy the same view.
if [ -d "${ROOT}/../shared" ]; then
    ln -sfn "$(cd "${ROOT}/../shared" && pwd)" "${TREE}/../shared"
fi
