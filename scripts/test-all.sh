#!/usr/bin/env bash
# `make test`: sanity, units, integration, lint, docs-lint, package-test, ee, molecule, demo in that order. Stops at the
# first failure with a clear message and prints a summary (with timings) at the end.
set -uo pipefail
# shellcheck source=scripts/common.sh
. "$(dirname "$0")/common.sh"

cd "${ROOT}" || exit 1
steps=(sanity units integration lint docs-lint package-test ee molecule demo)
summary=()
start_all=${SECONDS}

print_summary() {
    echo
    echo "================ make test summary ================"
    local line
    for line in "${summary[@]}"; do
        echo "  ${line}"
    done
    echo "  total: $((SECONDS - start_all)) s"
    echo "==================================================="
}

for i in "${!steps[@]}"; do
    step="${steps[${i}]}"
    echo
    echo "################ make ${step} ################"
    start=${SECONDS}
    if make --no-print-directory "${step}"; then
        summary+=("$(printf '%-12s PASSED  (%d s)' "${step}" $((SECONDS - start)))")
    else
        summary+=("$(printf '%-12s FAILED  (%d s)' "${step}" $((SECONDS - start)))")
        for rest in "${steps[@]:$((i + 1))}"; do
            summary+=("$(printf '%-12s not run' "${rest}")")
        done
        print_summary
        echo "ERROR: 'make ${step}' failed: make test stopped there (see its output above)." >&2
        exit 1
    fi
done
print_summary
echo "All checks passed."
