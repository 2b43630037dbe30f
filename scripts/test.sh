#!/usr/bin/env bash
# Runs every test of the solution (the README's test command) and ends with one summary line. The worker's
# integration tests need the local RabbitMQ, PostgreSQL and Prometheus: this starts them first
# (deploy/local/up.sh installs what is missing and is a no-op for services already running) and exports their
# connection strings (deploy/local/env.sh). They are left running for the next run; deploy/local/down.sh stops
# them. METAQAP_SKIP_SERVICES=1 skips that step (the integration tests then skip, or fail when CI=true).
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=deploy/local/env.sh
source deploy/local/env.sh
if [[ "${METAQAP_SKIP_SERVICES:-0}" != "1" ]]; then
  deploy/local/up.sh
fi
# The tests use a database and a RabbitMQ virtual host of their own (created by up.sh), never the ones the demo and
# a local worker use: after a test run, `metaqap models` still lists only the user's models.
export MetaQap__RabbitMq__Uri="amqp://${METAQAP_RABBITMQ_USER}:${METAQAP_LOCAL_PASSWORD}@127.0.0.1:${METAQAP_RABBITMQ_PORT}/${METAQAP_TEST_VHOST}"
export MetaQap__Database__ConnectionString="Host=127.0.0.1;Port=${METAQAP_PG_PORT};Database=${METAQAP_TEST_DB_NAME};Username=${METAQAP_DB_USER};Password=${METAQAP_LOCAL_PASSWORD}"

if command -v promtool >/dev/null; then
  echo "== alert rules (promtool)"
  promtool check rules deploy/prometheus/alerts.yml
  promtool test rules deploy/prometheus/alerts.test.yml
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
# --blame: if a test host crashes (a native fault takes the whole assembly's run down with it), the output names the
# test that was running; its sequence file lands in the project's TestResults/ (git-ignored).
dotnet test MetaQap.Workers.sln -c Release --nologo --blame "$@" 2>&1 | tee "$log" || status=$?

# dotnet test prints one "Passed!/Failed! - Failed: F, Passed: P, Skipped: S" line per test assembly.
awk -F'[:,]' '/(Passed|Failed)! +- +Failed:/ { f += $2; p += $4; s += $6 }
  END { printf "tests: %d passed, %d failed, %d skipped\n", p, f, s }' "$log"
exit "$status"
