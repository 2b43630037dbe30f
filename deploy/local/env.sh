# shellcheck shell=bash
# Ports, paths and connection strings of the local services (deploy/local/up.sh starts them).
# Source it: `source deploy/local/env.sh`. Every value can be overridden by setting it before sourcing, e.g.
# `METAQAP_PG_PORT=55432 source deploy/local/env.sh` when another PostgreSQL already listens on 5432.
# It only exports variables; it starts nothing.

_metaqap_local_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export METAQAP_REPO_DIR="${METAQAP_REPO_DIR:-$(cd "$_metaqap_local_dir/../.." && pwd)}"
# Data, logs, configs and pid files of the local services; gitignored. down.sh --purge deletes it.
export METAQAP_STATE_DIR="${METAQAP_STATE_DIR:-$METAQAP_REPO_DIR/.local}"

export METAQAP_RABBITMQ_PORT="${METAQAP_RABBITMQ_PORT:-5672}"
export METAQAP_RABBITMQ_DIST_PORT="${METAQAP_RABBITMQ_DIST_PORT:-25672}"
export METAQAP_RABBITMQ_PROMETHEUS_PORT="${METAQAP_RABBITMQ_PROMETHEUS_PORT:-15692}"
export METAQAP_EPMD_PORT="${METAQAP_EPMD_PORT:-4369}"
export METAQAP_PG_PORT="${METAQAP_PG_PORT:-5432}"
export METAQAP_PROMETHEUS_PORT="${METAQAP_PROMETHEUS_PORT:-9090}"
# The worker's /metrics and /healthz port, which the local Prometheus scrapes.
export METAQAP_METRICS_PORT="${METAQAP_METRICS_PORT:-9464}"

export METAQAP_DB_NAME="${METAQAP_DB_NAME:-metaqap}"
export METAQAP_DB_USER="${METAQAP_DB_USER:-metaqap}"
export METAQAP_RABBITMQ_USER="${METAQAP_RABBITMQ_USER:-metaqap}"
# The test suite's own database and RabbitMQ virtual host (scripts/test.sh points the tests at them), so that a test
# run never adds models, runs or queues to what the demo and a local worker use.
export METAQAP_TEST_DB_NAME="${METAQAP_TEST_DB_NAME:-metaqap_tests}"
export METAQAP_TEST_VHOST="${METAQAP_TEST_VHOST:-metaqap-tests}"
# LOCAL DEVELOPMENT DEFAULT, NOT A SECRET: these services listen on 127.0.0.1 only and hold throw-away data.
# Anything deployed (docker-compose, k8s) takes its passwords from its own secrets, never from this file.
export METAQAP_LOCAL_PASSWORD="${METAQAP_LOCAL_PASSWORD:-metaqap-local-dev}"

# What the worker and the tests read (the worker's configuration keys, MetaQap:Section:Key, as env variables).
export MetaQap__RabbitMq__Uri="amqp://${METAQAP_RABBITMQ_USER}:${METAQAP_LOCAL_PASSWORD}@127.0.0.1:${METAQAP_RABBITMQ_PORT}/"
export MetaQap__Database__ConnectionString="Host=127.0.0.1;Port=${METAQAP_PG_PORT};Database=${METAQAP_DB_NAME};Username=${METAQAP_DB_USER};Password=${METAQAP_LOCAL_PASSWORD}"
export MetaQap__Telemetry__Port="${METAQAP_METRICS_PORT}"
export METAQAP_PROMETHEUS_URL="http://127.0.0.1:${METAQAP_PROMETHEUS_PORT}"
