#!/usr/bin/env bash
# Stops or starts one of the local services deploy/local/up.sh started, leaving the others alone:
#   deploy/local/service.sh stop postgres|rabbitmq
#   deploy/local/service.sh start postgres|rabbitmq
# The worker's fault tests use it to take a dependency away mid-job (tests/MetaQap.Worker.Tests/Faults/). Start is
# up.sh's own start for that service (idempotent); stop is down.sh's, without touching data.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=deploy/local/env.sh
source "$here/env.sh"
source "$here/lib.sh"
source "$here/rabbitmq.sh"
source "$here/postgres.sh"

action="${1:-}" service="${2:-}"
case "$action/$service" in
  stop/postgres) postgres_stop ;;
  start/postgres) postgres_start ;;
  stop/rabbitmq) rabbitmq_stop ;;
  start/rabbitmq) rabbitmq_start ;;
  *) die "usage: $0 stop|start postgres|rabbitmq" ;;
esac
