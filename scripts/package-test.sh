#!/usr/bin/env bash
# Build the collection, install the tarball into an empty collections path, then prove the
# installed copy works: ansible-doc renders pd_team with the shared connection options, and
# an ad hoc `ansible localhost -m oncall.pagerduty.pd_team_info` finds a team in the simulator.
set -euo pipefail
# shellcheck source=scripts/common.sh
. "$(dirname "$0")/common.sh"

if [ "${1:-}" != "--inner" ]; then
    "$(dirname "$0")/build.sh"
    exec "$(dirname "$0")/with-simulator.sh" "$0" --inner "$@"
fi

use_venv "${VENV_219}"
export ANSIBLE_FORCE_COLOR=0 ANSIBLE_NOCOLOR=1 ANSIBLE_LOCALHOST_WARNING=0
version="$(sed -n 's/^version: *//p' "${ROOT}/galaxy.yml")"
tarball="${BUILD_DIR}/dist/oncall-pagerduty-${version}.tar.gz"
[ -f "${tarball}" ] || die "${tarball} was not built"

installed="$(mktemp -d "${BUILD_DIR}/installed.XXXXXX")"
trap 'rm -rf "${installed}"' EXIT
ansible-galaxy collection install --offline -p "${installed}" "${tarball}"
export ANSIBLE_COLLECTIONS_PATH="${installed}"
cd "${installed}"

doc="$(ansible-doc oncall.pagerduty.pd_team)"
for option in api_token auth_type region api_url from_email validate_certs ca_path timeout max_retries default_role; do
    grep -Eq "^[-= ]+${option} " <<<"${doc}" || die "ansible-doc oncall.pagerduty.pd_team does not show ${option}"
done
log "ansible-doc oncall.pagerduty.pd_team renders with the connection options"

"${VENV_219}/bin/python" "${ROOT}/tests/simulator/control.py" seed --data '{"teams": [{"name": "Packaged Team"}]}' >/dev/null
out="$(ansible localhost -m oncall.pagerduty.pd_team_info -a 'name="Packaged Team"' \
    -e ansible_python_interpreter="${VENV_219}/bin/python")"
echo "${out}"
grep -q 'localhost | SUCCESS' <<<"${out}" || die "the installed pd_team_info did not succeed"
grep -q '"name": "Packaged Team"' <<<"${out}" || die "the installed pd_team_info did not return the team"
log "the installed collection ran pd_team_info against the simulator"
