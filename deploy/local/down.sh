#!/usr/bin/env bash
# Stops the services deploy/local/up.sh started. `--purge` also deletes their data ($METAQAP_STATE_DIR).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=deploy/local/env.sh
source "$here/env.sh"
source "$here/lib.sh"
source "$here/rabbitmq.sh"
source "$here/postgres.sh"
source "$here/prometheus.sh"

prometheus_stop
postgres_stop
rabbitmq_stop
# epmd outlives the node that started it; stop it only when no other Erlang node is registered with it.
if command -v epmd >/dev/null && [[ -z "$(ERL_EPMD_PORT=$METAQAP_EPMD_PORT epmd -names 2>/dev/null | grep '^name ')" ]]; then
  ERL_EPMD_PORT=$METAQAP_EPMD_PORT epmd -kill >/dev/null 2>&1 || true
fi
if [[ "${1:-}" == "--purge" ]]; then
  log "deleting $METAQAP_STATE_DIR"
  rm -rf "$METAQAP_STATE_DIR"
fi
