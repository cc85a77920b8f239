#!/usr/bin/env bash
# Run one ansible-test command on every supported ansible-core: 2.19 / python 3.11 and 2.21 / python 3.12.
#   scripts/ansible-test-each.sh sanity|units [--only 2.19|2.21] [extra ansible-test arguments]
# sanity: no ignore or skip file is allowed. units: ansible-test makes its own venv with its pinned
# pytest plugins and installs tests/unit/requirements.txt into it (about 12 s per version).
set -euo pipefail
# shellcheck source=scripts/common.sh
. "$(dirname "$0")/common.sh"

command="${1:-}"
shift || true
case "${command}" in
    sanity)
        shopt -s nullglob
        for ignore in "${TREE}"/tests/sanity/ignore-*.txt "${TREE}"/tests/sanity/skip-*.txt; do
            die "sanity ignore/skip files are not allowed: ${ignore#"${TREE}"/}"
        done
        "$(dirname "$0")/ensure-shellcheck.sh"
        options=(--venv)
        ;;
    units) options=(--venv --requirements) ;;
    *) die "usage: $0 sanity|units [--only 2.19|2.21] [ansible-test arguments]" ;;
esac

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
    if ! "$(dirname "$0")/ansible-test.sh" "${ver}" "${command}" "${options[@]}" --python "${py}" --color no "$@"; then
        failed+=("ansible-core ${ver}/python ${py}")
    fi
done
[ "${#failed[@]}" -eq 0 ] || die "${command} failed on: ${failed[*]}"
log "${command} passed on ansible-core ${versions[*]}"
