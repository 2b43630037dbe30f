# shellcheck shell=bash
# Helpers shared by up.sh and down.sh (sourced, not run).

log() { printf '== %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# True when something listens on 127.0.0.1:$1 (or on any address with that port).
port_in_use() {
  ss -H -ltn "( sport = :$1 )" 2>/dev/null | grep -q .
}

# True when the pid in file $1 is a live process.
pid_alive() {
  [[ -s "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null
}

# Fails when port $1 is taken by something that is not ours (ours: pid file $2 alive).
require_free_port() {
  local port="$1" what="$2" override="$3"
  if port_in_use "$port"; then
    die "port $port ($what) is already in use by another process; pick another with $override=<port> (see deploy/local/env.sh)"
  fi
}

# Runs a command as user $1 when we are root, else as ourselves.
as_user() {
  local user="$1"; shift
  if [[ $(id -u) -eq 0 ]]; then runuser -u "$user" -- "$@"; else "$@"; fi
}

# Polls command "$@" every 0.5 s for up to $WAIT_SECONDS (default 60).
wait_for() {
  local what="$1"; shift
  local deadline=$((SECONDS + ${WAIT_SECONDS:-60}))
  until "$@" >/dev/null 2>&1; do
    (( SECONDS < deadline )) || die "$what did not become ready in ${WAIT_SECONDS:-60} s"
    sleep 0.5
  done
}

# GET http://127.0.0.1:$1$2 from a worker's telemetry port with bash's own TCP (no curl on a bare machine).
worker_get() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1" && printf 'GET %s HTTP/1.0\r\n\r\n' "$2" >&3 && cat <&3) 2>/dev/null
}

# True when the worker on telemetry port $1 answers /healthz with 200.
worker_ready() {
  worker_get "$1" /healthz | head -1 | grep -q " 200 "
}
