#!/usr/bin/env bash
# Shared settings for the toolchain scripts. Source it; do not run it.
# shellcheck disable=SC2034  # variables are used by the scripts that source this file

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Hermetic: the caller's Ansible and PagerDuty settings (ANSIBLE_COLLECTIONS_PATH, ANSIBLE_CONFIG,
# PAGERDUTY_API_TOKEN, ...) never reach the tools. Cleared once, by the outermost script: what a
# script exports afterwards for its own children (the simulator's URL, a collections path) stays.
if [ -z "${PD_ENV_CLEARED:-}" ]; then
    while IFS= read -r name; do
        unset "${name}"
    done < <(compgen -e | grep -E '^(ANSIBLE_|PAGERDUTY_)' || true)
    export PD_ENV_CLEARED=1
fi
BUILD_DIR="${PD_BUILD_DIR:-${ROOT}/build}"
COLLECTIONS_DIR="${BUILD_DIR}"                       # holds ansible_collections/
TREE="${BUILD_DIR}/ansible_collections/oncall/pagerduty"

VENV_219="${ROOT}/.venv"          # python 3.11 + ansible-core 2.19.x + linters
VENV_221="${ROOT}/.venv-2.21"     # python 3.12 + ansible-core 2.21.x

# Prefer pyenv's real binaries (the pyenv shims for non-global versions fail).
find_python() {
    local ver="$1" candidate
    for candidate in /root/.pyenv/versions/"${ver}".*/bin/python"${ver}" "$(command -v "python${ver}" || true)"; do
        if [ -n "${candidate}" ] && [ -x "${candidate}" ] && "${candidate}" -c 'import sys' >/dev/null 2>&1; then
            echo "${candidate}"
            return 0
        fi
    done
    echo "ERROR: no working python${ver} found" >&2
    return 1
}

log() {
    printf '==> %s\n' "$*" >&2
}

die() {
    printf 'ERROR: %s\n' "$*" >&2
    exit 1
}

# Put a venv (and the real interpreter it was made from) first on PATH, so that
# ansible-test --python X.Y finds a working pythonX.Y.
use_venv() {
    local venv="$1" real_bin
    [ -x "${venv}/bin/ansible-test" ] || die "${venv} is missing; run 'make venv' first"
    real_bin="$(dirname "$(readlink -f "${venv}/bin/python")")"
    export VIRTUAL_ENV="${venv}"
    export PATH="${venv}/bin:${real_bin}:${PATH}"
    unset PYTHONHOME
}

# "ansible-core X.Y.Z" of a venv (no `ansible --version | head`: that dies of SIGPIPE noise).
core_version() {
    "$1/bin/python" -c 'from ansible.release import __version__; print("ansible-core " + __version__)'
}
