#!/usr/bin/env bash
# Installs (apt, only what is missing) and starts the services the worker and its tests need, on 127.0.0.1:
# RabbitMQ 3.10, PostgreSQL 15 and Prometheus; waits until each is ready. Idempotent: running services are left
# as they are. No Docker, no systemd. Ports and paths: deploy/local/env.sh. Stop with deploy/local/down.sh.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=deploy/local/env.sh
source "$here/env.sh"
source "$here/lib.sh"
source "$here/rabbitmq.sh"
source "$here/postgres.sh"
source "$here/prometheus.sh"

install_missing() {
  local missing=()
  [[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ]] || missing+=(rabbitmq-server)
  command -v prometheus >/dev/null || missing+=(prometheus)
  [[ -x "$PG_BIN/initdb" ]] || missing+=(postgresql-15)
  command -v curl >/dev/null || missing+=(curl)
  command -v runuser >/dev/null || missing+=(util-linux)
  ((${#missing[@]} == 0)) && return 0
  [[ $(id -u) -eq 0 ]] || die "missing packages (${missing[*]}); install them as root: apt-get install ${missing[*]}"
  log "apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # Debian's maintainer scripts would start the system-wide services; we start our own instances instead, so
  # forbid service starts for this install (container images ship such a policy-rc.d already; keep theirs).
  local policy=/usr/sbin/policy-rc.d own_policy=0
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && own_policy=1
  fi
  # Removed on any exit of up.sh (die included), so no machine is left refusing service starts.
  # shellcheck disable=SC2064 # expand now: the trap must remove exactly the file created here
  if ((own_policy)); then trap "rm -f '$policy'" EXIT; fi
  if ! apt-get install -y -q --no-install-recommends "${missing[@]}" >"${TMPDIR:-/tmp}/metaqap-apt.log" 2>&1; then
    apt-get update -q >>"${TMPDIR:-/tmp}/metaqap-apt.log" 2>&1
    apt-get install -y -q --no-install-recommends "${missing[@]}" >>"${TMPDIR:-/tmp}/metaqap-apt.log" 2>&1 \
      || die "apt-get install failed; see ${TMPDIR:-/tmp}/metaqap-apt.log"
  fi
}

install_missing
mkdir -p "$METAQAP_STATE_DIR"
rabbitmq_start
postgres_start
prometheus_start
log "ready: RabbitMQ 127.0.0.1:$METAQAP_RABBITMQ_PORT, PostgreSQL 127.0.0.1:$METAQAP_PG_PORT, Prometheus $METAQAP_PROMETHEUS_URL (scraping 127.0.0.1:$METAQAP_METRICS_PORT)"
