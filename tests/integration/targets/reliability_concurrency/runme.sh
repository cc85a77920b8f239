#!/usr/bin/env bash
# Three runs of one playbook at once against the simulator, every create held back by it so that the
# runs race: each run must succeed and the account must hold exactly one object per declared name.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
config="${here}/../../integration_config.yml"
[ -f "${config}" ] || { echo "no integration_config.yml (written by scripts/integration.sh)" >&2; exit 1; }
run() { ansible-playbook -i "${here}/../../inventory" -e "@${config}" "$@"; }

run "${here}/setup.yml"
work="$(mktemp -d)"
pids=()
for n in 1 2 3; do
    run "${here}/account.yml" > "${work}/run${n}.log" 2>&1 &
    pids+=("$!")
done
failed=0
for n in 1 2 3; do
    if ! wait "${pids[$((n - 1))]}"; then
        echo "run ${n} failed:" >&2
        cat "${work}/run${n}.log" >&2
        failed=1
    fi
done
[ "${failed}" -eq 0 ] || exit 1
echo "ok: three runs at once all succeeded"
run "${here}/verify.yml"
run "${here}/account.yml" | tee "${work}/rerun.log"
grep -q 'changed=0' "${work}/rerun.log" || { echo "a rerun after the race changed something" >&2; exit 1; }
echo "ok: one object per name, and a rerun changes nothing"
