# shellcheck shell=bash
# PostgreSQL 15 on 127.0.0.1:$METAQAP_PG_PORT with a data directory of the project's own
# ($METAQAP_STATE_DIR/postgres), run as the postgres user when we are root. Sourced by up.sh / down.sh.

PG_BIN="${METAQAP_PG_BIN:-/usr/lib/postgresql/15/bin}"
PG_DIR="$METAQAP_STATE_DIR/postgres"
PG_DATA="$PG_DIR/data"
PG_OS_USER=$([[ $(id -u) -eq 0 ]] && echo postgres || id -un)

pg_ctl_() { as_user "$PG_OS_USER" "$PG_BIN/pg_ctl" -D "$PG_DATA" "$@"; }
psql_() {
  as_user "$PG_OS_USER" "$PG_BIN/psql" -h 127.0.0.1 -p "$METAQAP_PG_PORT" -U postgres -d postgres \
    -v ON_ERROR_STOP=1 -qAt "$@"
}

postgres_running() { [[ -f "$PG_DATA/PG_VERSION" ]] && pg_ctl_ status >/dev/null 2>&1; }

postgres_init() {
  [[ -f "$PG_DATA/PG_VERSION" ]] && return 0
  mkdir -p "$PG_DIR"
  chown "$PG_OS_USER" "$PG_DIR"
  as_user "$PG_OS_USER" test -w "$PG_DIR" \
    || die "$PG_OS_USER cannot write $PG_DIR (a parent folder is not traversable?); set METAQAP_STATE_DIR"
  log "initdb $PG_DATA"
  # trust for local connections of the postgres superuser (the data dir is ours, the socket is ours);
  # the application role logs in with a password over TCP.
  as_user "$PG_OS_USER" "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
    --encoding=UTF8 --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1 || die "initdb failed; see $PG_DIR/initdb.log"
  # The superuser may connect over loopback TCP without a password (psql_ below); everyone else needs one.
  sed -i '1i host all postgres 127.0.0.1/32 trust' "$PG_DATA/pg_hba.conf"
}

postgres_start() {
  if postgres_running; then
    log "PostgreSQL already running (127.0.0.1:$METAQAP_PG_PORT)"
  else
    require_free_port "$METAQAP_PG_PORT" "PostgreSQL" METAQAP_PG_PORT
    postgres_init
    log "starting PostgreSQL on 127.0.0.1:$METAQAP_PG_PORT (log: $PG_DIR/postgres.log)"
    # Socket in our own dir, not /var/run/postgresql (which may not exist or may belong to another server).
    pg_ctl_ -w -t 60 -l "$PG_DIR/postgres.log" \
      -o "-c listen_addresses=127.0.0.1 -c port=$METAQAP_PG_PORT -c unix_socket_directories=$PG_DIR -c fsync=off" \
      start >/dev/null || die "PostgreSQL did not start; see $PG_DIR/postgres.log"
  fi
  wait_for "PostgreSQL" "$PG_BIN/pg_isready" -h 127.0.0.1 -p "$METAQAP_PG_PORT"
  # Idempotent role and database; the role always gets the current password.
  psql_ <<SQL
SELECT format('CREATE ROLE %I LOGIN', '$METAQAP_DB_USER')
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$METAQAP_DB_USER') \gexec
ALTER ROLE "$METAQAP_DB_USER" WITH LOGIN PASSWORD '$METAQAP_LOCAL_PASSWORD';
SELECT format('CREATE DATABASE %I OWNER %I', '$METAQAP_DB_NAME', '$METAQAP_DB_USER')
WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = '$METAQAP_DB_NAME') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', '$METAQAP_TEST_DB_NAME', '$METAQAP_DB_USER')
WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = '$METAQAP_TEST_DB_NAME') \gexec
SQL
}

postgres_stop() {
  if postgres_running; then
    log "stopping PostgreSQL"
    pg_ctl_ -w -t 60 -m fast stop >/dev/null
  fi
}
