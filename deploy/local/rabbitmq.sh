# shellcheck shell=bash
# RabbitMQ 3.10 (Debian's rabbitmq-server) as a node of the project's own: loopback listeners, its config, data
# and logs under $METAQAP_STATE_DIR/rabbitmq. Sourced by up.sh / down.sh.

RMQ_DIR="$METAQAP_STATE_DIR/rabbitmq"
RMQ_BIN=/usr/lib/rabbitmq/bin

# The environment every rabbitmq-server / rabbitmqctl call of ours runs with. Calling the scripts in
# /usr/lib/rabbitmq/bin directly (not the /usr/sbin wrappers, which `su` to the rabbitmq user and cd to
# /var/lib/rabbitmq) keeps these variables and the erlang cookie in our own HOME.
rabbitmq_env() {
  export HOME="$RMQ_DIR"
  export RABBITMQ_NODENAME="metaqap@localhost"
  export RABBITMQ_CONF_ENV_FILE="$RMQ_DIR/rabbitmq-env.conf"
  export RABBITMQ_CONFIG_FILE="$RMQ_DIR/rabbitmq.conf"
  export RABBITMQ_ADVANCED_CONFIG_FILE="$RMQ_DIR/advanced.config"
  export RABBITMQ_ENABLED_PLUGINS_FILE="$RMQ_DIR/enabled_plugins"
  export RABBITMQ_MNESIA_BASE="$RMQ_DIR/mnesia"
  export RABBITMQ_LOG_BASE="$RMQ_DIR/log"
  export RABBITMQ_PID_FILE="$RMQ_DIR/rabbitmq.pid"
  export RABBITMQ_DIST_PORT="$METAQAP_RABBITMQ_DIST_PORT"
  export ERL_EPMD_ADDRESS=127.0.0.1
  export ERL_EPMD_PORT="$METAQAP_EPMD_PORT"
  # Erlang distribution on loopback only.
  export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
  export RABBITMQ_CTL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
}

rabbitmqctl_() { (rabbitmq_env; "$RMQ_BIN/rabbitmqctl" "$@"); }

rabbitmq_running() {
  pid_alive "$RMQ_DIR/rabbitmq.pid" && rabbitmqctl_ -q status >/dev/null 2>&1
}

rabbitmq_write_config() {
  mkdir -p "$RMQ_DIR/mnesia" "$RMQ_DIR/log"
  : > "$RMQ_DIR/rabbitmq-env.conf"
  echo '[].' > "$RMQ_DIR/advanced.config"
  echo '[rabbitmq_prometheus].' > "$RMQ_DIR/enabled_plugins"
  cat > "$RMQ_DIR/rabbitmq.conf" <<CONF
# Written by deploy/local/rabbitmq.sh; regenerated on every up.sh.
listeners.tcp.default = 127.0.0.1:${METAQAP_RABBITMQ_PORT}
prometheus.tcp.ip = 127.0.0.1
prometheus.tcp.port = ${METAQAP_RABBITMQ_PROMETHEUS_PORT}
# Per-queue series (queue depth for the alert rules and the dashboard) on /metrics.
prometheus.return_per_object_metrics = true
loopback_users = none
disk_free_limit.absolute = 50MB
log.console = false
log.file.level = info
CONF
}

rabbitmq_start() {
  if rabbitmq_running; then
    log "RabbitMQ already running (127.0.0.1:$METAQAP_RABBITMQ_PORT)"
  else
    require_free_port "$METAQAP_RABBITMQ_PORT" "RabbitMQ AMQP" METAQAP_RABBITMQ_PORT
    require_free_port "$METAQAP_RABBITMQ_DIST_PORT" "RabbitMQ distribution" METAQAP_RABBITMQ_DIST_PORT
    require_free_port "$METAQAP_RABBITMQ_PROMETHEUS_PORT" "RabbitMQ metrics" METAQAP_RABBITMQ_PROMETHEUS_PORT
    rabbitmq_write_config
    log "starting RabbitMQ on 127.0.0.1:$METAQAP_RABBITMQ_PORT (logs: $RMQ_DIR/log)"
    (rabbitmq_env; setsid "$RMQ_BIN/rabbitmq-server" -detached </dev/null >"$RMQ_DIR/log/startup.log" 2>&1)
    WAIT_SECONDS=90 wait_for "RabbitMQ pid file" test -s "$RMQ_DIR/rabbitmq.pid"
    rabbitmqctl_ -q wait "$RMQ_DIR/rabbitmq.pid" --timeout 90 >/dev/null \
      || die "RabbitMQ did not start; see $RMQ_DIR/log"
    rabbitmqctl_ -q await_startup --timeout 90 || die "RabbitMQ did not finish booting; see $RMQ_DIR/log"
  fi
  # Idempotent: the user gets the current password whether or not it existed.
  if ! rabbitmqctl_ -q list_users | grep -q "^$METAQAP_RABBITMQ_USER\b"; then
    rabbitmqctl_ -q add_user "$METAQAP_RABBITMQ_USER" "$METAQAP_LOCAL_PASSWORD" >/dev/null
  else
    rabbitmqctl_ -q change_password "$METAQAP_RABBITMQ_USER" "$METAQAP_LOCAL_PASSWORD" >/dev/null
  fi
  rabbitmqctl_ -q set_user_tags "$METAQAP_RABBITMQ_USER" administrator >/dev/null
  rabbitmqctl_ -q set_permissions -p / "$METAQAP_RABBITMQ_USER" '.*' '.*' '.*' >/dev/null
  rabbitmqctl_ -q add_vhost "$METAQAP_TEST_VHOST" >/dev/null 2>&1 || true # exists after the first start
  rabbitmqctl_ -q set_permissions -p "$METAQAP_TEST_VHOST" "$METAQAP_RABBITMQ_USER" '.*' '.*' '.*' >/dev/null
  rabbitmqctl_ -q delete_user guest >/dev/null 2>&1 || true
}

rabbitmq_stop() {
  if pid_alive "$RMQ_DIR/rabbitmq.pid"; then
    log "stopping RabbitMQ"
    rabbitmqctl_ -q stop "$RMQ_DIR/rabbitmq.pid" >/dev/null 2>&1 || kill "$(cat "$RMQ_DIR/rabbitmq.pid")"
  fi
  rm -f "$RMQ_DIR/rabbitmq.pid"
}
