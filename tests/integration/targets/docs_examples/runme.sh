#!/usr/bin/env bash
# The YAML examples of the docs (README.md, docs/*.md, roles/*/README.md; blocks.py finds them), run against the
# simulator: each playbook or task list on a freshly seeded account (the module_examples target's seed), each
# inventory source through ansible-inventory. The connection comes from the environment, as the docs say.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
config="${here}/../../integration_config.yml"
[ -f "${config}" ] || { echo "no integration_config.yml (written by scripts/integration.sh)" >&2; exit 1; }
python="${ANSIBLE_TEST_PYTHON_INTERPRETER:-python}"
work="$(mktemp -d)"
trap 'rm -rf "${work}"' EXIT
url="$("${python}" -c 'import sys, yaml; print(yaml.safe_load(open(sys.argv[1]))["pd_api_url"])' "${config}")"
token="$("${python}" -c 'import sys, yaml; print(yaml.safe_load(open(sys.argv[1]))["pd_api_token"])' "${config}")"
export PAGERDUTY_API_URL="${url}" PAGERDUTY_API_TOKEN="${token}" PAGERDUTY_FROM_EMAIL=admin@example.com PAGERDUTY_EVENTS_URL="${url}/events"
cat > "${work}/seed.yml" <<YAML
- name: Seed the account the examples expect
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Seed
      ansible.builtin.import_tasks: ${here}/../module_examples/seed.yml
YAML
"${python}" "${here}/blocks.py" "${work}" > "${work}/list"
ran=0
while read -r kind path; do
    if [ "${kind}" = "#" ]; then
        echo "== ${path}"
        continue
    fi
    ansible-playbook -e "@${config}" "${work}/seed.yml" > "${work}/seed.log" || { cat "${work}/seed.log"; exit 1; }
    case "${kind}" in
        playbook) ansible-playbook -e "@${here}/vars.yml" "${path}" ;;
        inventory) ansible-inventory -i "${path}" --list > "${work}/inventory.json"
                   "${python}" -c 'import json, sys; hosts = json.load(open(sys.argv[1]))["_meta"]["hostvars"]; assert hosts, "no host"; print(len(hosts), "hosts")' "${work}/inventory.json" ;;
    esac
    ran=$((ran + 1))
done < "${work}/list"
echo "ok: ${ran} examples of the docs ran"
