#!/usr/bin/env bash
# Create (or refresh) the two virtual environments used by the Makefile.
#   .venv       python3.11, ansible-core 2.19.x and the linters/doc tools
#   .venv-2.21  python3.12, ansible-core 2.21.x
# A stamp file holding the requirement spec makes reruns a no-op.
set -euo pipefail
# shellcheck source=scripts/common.sh
. "$(dirname "$0")/common.sh"

PKGS_219=('ansible-core>=2.19,<2.20' ansible-lint antsibull-docs antsibull-changelog requests pytest trustme molecule)
PKGS_221=('ansible-core>=2.21,<2.22' pytest requests trustme)

# pip's global config lists local file:// indexes that may not exist: hide that noise.
pip_install() {
    local venv="$1" out status=0
    shift
    out="$("${venv}/bin/python" -m pip install --quiet --disable-pip-version-check "$@" 2>&1)" || status=$?
    printf '%s\n' "${out}" | grep -v -e 'is ignored: it is neither a file nor a directory' -e '^$' >&2 || true
    [ "${status}" -eq 0 ] || die "pip install $* into ${venv##*/} failed (exit ${status})"
}

make_venv() {
    local venv="$1" pyver="$2"
    shift 2
    local python spec stamp="${venv}/.toolchain-stamp"
    python="$(find_python "${pyver}")"
    spec="${python} $*"
    if [ -f "${stamp}" ] && [ "$(cat "${stamp}")" = "${spec}" ] && "${venv}/bin/python" -c 'import ansible' >/dev/null 2>&1; then
        log "${venv##*/} is up to date ($(core_version "${venv}"))"
        return 0
    fi
    log "creating ${venv##*/} with ${python}"
    rm -rf "${venv}"
    "${python}" -m venv "${venv}"
    pip_install "${venv}" --upgrade pip
    pip_install "${venv}" "$@"
    "${venv}/bin/python" -c 'import ansible' || die "installing into ${venv} failed"
    for pkg in "$@"; do
        pkg="${pkg%%[<>=]*}"
        "${venv}/bin/python" -m pip show --quiet "${pkg}" >/dev/null 2>&1 || die "${pkg} missing from ${venv}"
    done
    printf '%s' "${spec}" > "${stamp}"
    log "${venv##*/} ready: $(core_version "${venv}")"
}

make_venv "${VENV_219}" 3.11 "${PKGS_219[@]}"
make_venv "${VENV_221}" 3.12 "${PKGS_221[@]}"
"$(dirname "$0")/get-pip-standin.sh"
