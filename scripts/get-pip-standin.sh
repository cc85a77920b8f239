#!/usr/bin/env bash
# ansible-test bootstraps pip in each venv it creates by downloading get-pip-<ver>.py
# from a host this network does not reach. It uses a cached copy when present at
# ~/.ansible/test/cache/get_pip_<ver>.py, so put a stand-in there for the pip version
# that each installed ansible-core asks for: it runs ensurepip, then pip install with
# the given arguments (minus the get-pip-only --no-setuptools/--no-wheel).
set -euo pipefail
# shellcheck source=scripts/common.sh
. "$(dirname "$0")/common.sh"

CACHE_DIR="${HOME}/.ansible/test/cache"
mkdir -p "${CACHE_DIR}"

for venv in "${VENV_219}" "${VENV_221}"; do
    [ -x "${venv}/bin/python" ] || continue
    reqs="$(find "${venv}/lib" -path '*/ansible_test/_internal/python_requirements.py' | head -n1)"
    [ -n "${reqs}" ] || die "ansible_test not found in ${venv}"
    pip_version="$(sed -n "s/^ *pip='\([0-9][0-9.]*\)',.*/\1/p" "${reqs}" | head -n1)"
    [ -n "${pip_version}" ] || die "could not read the pip version from ${reqs}"
    target="${CACHE_DIR}/get_pip_${pip_version//./_}.py"
    tmp="${target}.$$.tmp"   # one per process: two runs at once must not share it
    cat > "${tmp}" <<PYEOF
"""Offline stand-in for get-pip-${pip_version}.py (written by scripts/get-pip-standin.sh)."""
import os
import subprocess
import sys

args = [arg for arg in sys.argv[1:] if arg not in ('--no-setuptools', '--no-wheel')]
env = dict(os.environ)
env.pop('PIP_CONFIG_FILE', None)  # ensurepip points it at /dev/null; pip needs the real config
subprocess.check_call([sys.executable, '-m', 'ensurepip', '--upgrade', '--default-pip'], env=env,
                      stdout=subprocess.DEVNULL)
sys.exit(subprocess.call([sys.executable, '-m', 'pip', 'install'] + args, env=env))
PYEOF
    mv "${tmp}" "${target}"
    log "get-pip stand-in for pip ${pip_version}: ${target}"
done
