#!/usr/bin/env bash
# make ee: `ansible-builder create` on meta/execution-environment.yml, in a venv of its own under the build
# directory (made on first use). When ansible-builder cannot be installed (no package index), the check is
# skipped with a message, as the issue allows. Also checks that the file's Python and system dependencies
# are those of requirements.txt and bindep.txt.
set -euo pipefail
# shellcheck source=scripts/common.sh
. "$(dirname "$0")/common.sh"

cd "${ROOT}"
venv="${BUILD_DIR}/ee-venv"
python="$(find_python 3.11)"
if [ ! -x "${venv}/bin/ansible-builder" ]; then
    rm -rf "${venv}"
    "${python}" -m venv "${venv}"
    if ! "${venv}/bin/python" -m pip install --quiet --disable-pip-version-check ansible-builder >/dev/null 2>&1; then
        log "ansible-builder cannot be installed here: the execution environment check is skipped"
        exit 0
    fi
fi
"${venv}/bin/python" - <<'PY'
import sys
import yaml
ee = yaml.safe_load(open("meta/execution-environment.yml"))["dependencies"]
def lines(path):
    return [line.strip() for line in open(path) if line.strip() and not line.startswith("#")]
problems = []
if ee["python"] != lines("requirements.txt"):
    problems.append(f"python {ee['python']} != requirements.txt {lines('requirements.txt')}")
if ee["system"] != lines("bindep.txt"):
    problems.append(f"system {ee['system']} != bindep.txt {lines('bindep.txt')}")
if problems:
    sys.exit("meta/execution-environment.yml: " + "; ".join(problems))
PY
context="${BUILD_DIR}/ee-context"
rm -rf "${context}"
"${venv}/bin/ansible-builder" create -f meta/execution-environment.yml --context "${context}" --output-filename Containerfile
[ -s "${context}/Containerfile" ] || die "ansible-builder wrote no Containerfile"
grep -q 'requests>=2.25.0' -r "${context}/_build" || die "the build context lacks the Python requirements"
log "execution environment: ${context}/Containerfile written"
