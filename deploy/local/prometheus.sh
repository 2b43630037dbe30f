# shellcheck shell=bash
# Prometheus (Debian's package) on 127.0.0.1:$METAQAP_PROMETHEUS_PORT, scraping the worker's metrics port and
# RabbitMQ's, with deploy/prometheus/alerts.yml loaded. Sourced by up.sh / down.sh.

PROM_DIR="$METAQAP_STATE_DIR/prometheus"
PROM_PID="$PROM_DIR/prometheus.pid"

prometheus_ready() { curl -fsS "http://127.0.0.1:$METAQAP_PROMETHEUS_PORT/-/ready" >/dev/null 2>&1; }

prometheus_write_config() {
  mkdir -p "$PROM_DIR/data"
  # The production scrape config (deploy/prometheus/prometheus.yml) with loopback targets and a 1 s interval,
  # so tests see a new value within seconds.
  cat > "$PROM_DIR/prometheus.yml" <<CONF
# Written by deploy/local/prometheus.sh; regenerated on every up.sh.
global:
  scrape_interval: 1s
  evaluation_interval: 5s
rule_files:
  - $METAQAP_REPO_DIR/deploy/prometheus/alerts.yml
scrape_configs:
  - job_name: metaqap-worker
    static_configs:
      - targets: ["127.0.0.1:$METAQAP_METRICS_PORT"]
  - job_name: rabbitmq
    static_configs:
      - targets: ["127.0.0.1:$METAQAP_RABBITMQ_PROMETHEUS_PORT"]
CONF
}

prometheus_start() {
  if pid_alive "$PROM_PID" && prometheus_ready; then
    log "Prometheus already running (127.0.0.1:$METAQAP_PROMETHEUS_PORT)"
    return 0
  fi
  require_free_port "$METAQAP_PROMETHEUS_PORT" "Prometheus" METAQAP_PROMETHEUS_PORT
  prometheus_write_config
  log "starting Prometheus on 127.0.0.1:$METAQAP_PROMETHEUS_PORT (log: $PROM_DIR/prometheus.log)"
  setsid prometheus \
    --config.file="$PROM_DIR/prometheus.yml" \
    --storage.tsdb.path="$PROM_DIR/data" \
    --storage.tsdb.retention.time=2d \
    --web.listen-address="127.0.0.1:$METAQAP_PROMETHEUS_PORT" \
    --web.enable-lifecycle \
    </dev/null >"$PROM_DIR/prometheus.log" 2>&1 &
  echo $! > "$PROM_PID"
  wait_for "Prometheus" prometheus_ready
}

prometheus_stop() {
  if pid_alive "$PROM_PID"; then
    log "stopping Prometheus"
    kill "$(cat "$PROM_PID")"
    local deadline=$((SECONDS + 30))
    while pid_alive "$PROM_PID" && (( SECONDS < deadline )); do sleep 0.2; done
  fi
  rm -f "$PROM_PID"
}
