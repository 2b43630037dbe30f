#!/usr/bin/env bash
# Runs every test of the solution (the README's test command). The worker's integration tests need the local
# RabbitMQ, PostgreSQL and Prometheus: this starts them first (deploy/local/up.sh installs what is missing and is a
# no-op for services already running) and exports their connection strings (deploy/local/env.sh). They are left
# running for the next run; deploy/local/down.sh stops them. METAQAP_SKIP_SERVICES=1 skips that step (the
# integration tests then skip, or fail when CI=true).
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=deploy/local/env.sh
source deploy/local/env.sh
if [[ "${METAQAP_SKIP_SERVICES:-0}" != "1" ]]; then
  deploy/local/up.sh
fi

if command -v promtool >/dev/null; then
  echo "== alert rules (promtool)"
  promtool check rules deploy/prometheus/alerts.yml
  promtool test rules deploy/prometheus/alerts.test.yml
fi

dotnet test MetaQap.Workers.sln -c Release --nologo "$@"
