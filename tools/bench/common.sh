# shellcheck shell=bash
# What the worker benchmarks share (sourced, not run): the local services with empty work queues, the Python
# packages the load client needs, Release builds ($cli, $worker), and $out/corpus/images holding 64 distinct
# 512x512 synthetic PNGs. The ensemble benchmarked is $model: METAQAP_BENCH_MODEL, else models/default.
#   bench_setup OUT
bench_setup() {
  out="$1"
  model="${METAQAP_BENCH_MODEL:-models/default}"
  # shellcheck source=deploy/local/env.sh
  source deploy/local/env.sh
  deploy/local/up.sh >/dev/null
  # shellcheck source=deploy/local/lib.sh
  source deploy/local/lib.sh
  # shellcheck source=deploy/local/rabbitmq.sh
  source deploy/local/rabbitmq.sh
  # Work left over from an interrupted run would be scored inside this run's timing.
  for q in score-images score-images-json score-image-items; do rabbitmqctl_ -q purge_queue "$q" >/dev/null 2>&1 || true; done
  for pkg in python3-pika python3-pil; do dpkg -s "$pkg" >/dev/null 2>&1 || apt-get install -y --no-install-recommends "$pkg" >/dev/null; done
  dotnet build src/MetaQap.Cli -c Release --nologo -v quiet >/dev/null
  dotnet build src/MetaQap.Worker -c Release --nologo -v quiet >/dev/null
  cli=src/MetaQap.Cli/bin/Release/net10.0/linux-x64/metaqap
  worker=src/MetaQap.Worker/bin/Release/net10.0/linux-x64/metaqap-worker
  rm -rf "$out" && mkdir -p "$out"
  "$cli" synth --synthetic --contents 4 --count 64 --size 512 --seed 7 --out "$out/corpus" >/dev/null
}

# Photos arrive as JPEG: every PNG of folder $1 becomes a quality-90 JPEG (Debian python3-pil), the PNG removed.
bench_jpegs() {
  /usr/bin/python3 -c "
import glob, os, sys
from PIL import Image
for f in glob.glob(os.path.join(sys.argv[1], '*.png')):
    Image.open(f).convert('RGB').save(f[:-4] + '.jpg', quality=90)
    os.remove(f)" "$1"
}

# Starts one worker ($worker, $model) with telemetry on port $1, file root $2 and $3 torch threads; further
# arguments are more NAME=VALUE settings for it. Logs to $out/worker.log, sets $worker_pid (killed when the script
# exits) and returns once the worker is ready.
bench_start_worker() {
  local port="$1" root="$2" threads="$3"
  shift 3
  env MetaQap__Model__Path="$model" MetaQap__Model__Threads="$threads" MetaQap__Sources__FileRoots__0="$root" \
    MetaQap__Telemetry__Port="$port" "$@" "$worker" > "$out/worker.log" 2>&1 &
  worker_pid=$!
  trap 'kill "$worker_pid" 2>/dev/null || true' EXIT
  bench_wait_ready "$port"
}

# Waits (up to 120 s) until the worker on telemetry port $1 is ready.
bench_wait_ready() {
  WAIT_SECONDS=120 wait_for "the worker on port $1" worker_ready "$1"
}

# metaqap_images_scored_total of the worker on telemetry port $1.
bench_scored() {
  worker_get "$1" /metrics | awk '/^metaqap_images_scored_total/ {print $2}'
}

# Field $1 of the JSON object on standard input (pika_load.py's summary).
field() { /usr/bin/python3 -c "import json,sys; print(json.loads(sys.stdin.read())[sys.argv[1]])" "$1"; }

# The median of the numbers given as arguments.
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
