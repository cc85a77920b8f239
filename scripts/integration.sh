#!/usr/bin/env bash
# Run ansible-test integration (ansible-core 2.19, python 3.11, in .venv) against the
# simulator. Optional arguments are target names (default: all targets).
set -euo pipefail
# shellcheck source=scripts/common.sh
. "$(dirname "$0")/common.sh"

if [ "${1:-}" != "--inner" ]; then
    exec "$(dirname "$0")/with-simulator.sh" "$0" --inner "$@"
fi
shift

[ -d "${TREE}" ] || die "no collection tree at ${TREE}; run 'make collection-tree'"
config="${TREE}/tests/integration/integration_config.yml"
mkdir -p "$(dirname "${config}")"
cat > "${config}" <<YAML
---
pd_api_url: ${PD_SIMULATOR_URL}
pd_events_url: ${PD_SIMULATOR_URL}/events
pd_api_token: sim-write-token
pd_read_token: sim-read-token
YAML
log "wrote ${config}"
"$(dirname "$0")/ansible-test.sh" 2.19 integration --local --python 3.11 --color no -v "$@"
