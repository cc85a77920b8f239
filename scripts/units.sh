#!/usr/bin/env bash
# ansible-test units with ansible-core 2.19 / python 3.11 and ansible-core 2.21 / python 3.12.
# --venv --requirements: ansible-test makes its own venv with its pinned pytest plugins and
# installs tests/unit/requirements.txt into it (from PyPI; about 12 s per version).
#   scripts/units.sh [--only 2.19|2.21] [extra ansible-test arguments]
set -euo pipefail
# shellcheck source=scripts/common.sh
. "$(dirname "$0")/common.sh"

versions=(2.19 2.21)
if [ "${1:-}" = "--only" ]; then
    versions=("$2")
    shift 2
fi

"$(dirname "$0")/get-pip-standin.sh"
failed=()
for ver in "${versions[@]}"; do
    case "${ver}" in
        2.19) py=3.11 ;;
        2.21) py=3.12 ;;
        *) die "unknown ansible-core version ${ver}" ;;
    esac
    if ! "$(dirname "$0")/ansible-test.sh" "${ver}" units --venv --requirements --python "${py}" --color no "$@"; then
        failed+=("ansible-core ${ver}/python ${py}")
    fi
done
if [ "${#failed[@]}" -gt 0 ]; then
    die "units failed on: ${failed[*]}"
fi
log "units passed on ansible-core ${versions[*]}"
