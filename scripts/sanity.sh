#!/usr/bin/env bash
# ansible-test sanity (no ignore file) with ansible-core 2.19 / python 3.11 and
# ansible-core 2.21 / python 3.12.
#   scripts/sanity.sh [--only 2.19|2.21] [extra ansible-test arguments, e.g. --test pep8]
set -euo pipefail
# shellcheck source=scripts/common.sh
. "$(dirname "$0")/common.sh"

versions=(2.19 2.21)
if [ "${1:-}" = "--only" ]; then
    versions=("$2")
    shift 2
fi

shopt -s nullglob
for ignore in "${TREE}"/tests/sanity/ignore-*.txt "${TREE}"/tests/sanity/skip-*.txt; do
    die "sanity ignore/skip files are not allowed: ${ignore#"${TREE}"/}"
done
"$(dirname "$0")/ensure-shellcheck.sh"
"$(dirname "$0")/get-pip-standin.sh"
failed=()
for ver in "${versions[@]}"; do
    case "${ver}" in
        2.19) py=3.11 ;;
        2.21) py=3.12 ;;
        *) die "unknown ansible-core version ${ver}" ;;
    esac
    if ! "$(dirname "$0")/ansible-test.sh" "${ver}" sanity --venv --python "${py}" --color no "$@"; then
        failed+=("ansible-core ${ver}/python ${py}")
    fi
done
if [ "${#failed[@]}" -gt 0 ]; then
    die "sanity failed on: ${failed[*]}"
fi
log "sanity passed on ansible-core ${versions[*]}"
