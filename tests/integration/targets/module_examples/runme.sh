#!/usr/bin/env bash
# Every module's EXAMPLES (as ansible-doc shows them), run against the simulator, one play per module on a freshly
# seeded account: an example that no longer works fails make test. See examples.py.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
config="${here}/../../integration_config.yml"
[ -f "${config}" ] || { echo "no integration_config.yml (written by scripts/integration.sh)" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "${work}"' EXIT
"${ANSIBLE_TEST_PYTHON_INTERPRETER:-python}" "${here}/examples.py" "${here}/seed.yml" "${work}" > "${work}/examples.yml"
echo "running the examples of $(grep -c '^- name: The examples of' "${work}/examples.yml") modules"
ansible-playbook -i "${here}/../../inventory" -e "@${config}" "${work}/examples.yml"
