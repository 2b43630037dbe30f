#!/usr/bin/env bash
# Where the CPU goes during one pipeline run (issue 7, item 1): one worker (models/default, 1 torch thread, the
# default batching), one warm-up job, then IMAGES JPEG references through tools/load/pika_load.py; prints the CPU
# seconds every process name used meanwhile (user + system from /proc, summed over processes of that name, those
# above 0.2 s) and how many cores that is over the run's wall time.
#   tools/bench/cpu-split.sh [IMAGES=2000]
set -euo pipefail
cd "$(dirname "$0")/../.."
images="${1:-2000}"
# shellcheck source=tools/bench/common.sh
source tools/bench/common.sh
bench_setup out/bench/cpu-split
bench_jpegs "$out/corpus/images"
port=$((METAQAP_METRICS_PORT + 40))
bench_start_worker "$port" "$PWD/$out/corpus/images" 1
load() { /usr/bin/python3 tools/load/pika_load.py "$MetaQap__RabbitMq__Uri" "$PWD/$out/corpus/images" --threads 1 --ext .jpg "$@"; }
load --jobs 1 --per-job 64 >/dev/null
# CPU clock ticks per process name, summed.
snapshot() {
  for p in /proc/[0-9]*; do
    name=$(cat "$p/comm" 2>/dev/null) || continue
    awk -v n="$name" '{print n, $14 + $15}' "$p/stat" 2>/dev/null || true
  done | awk '{t[$1] += $2} END {for (n in t) print n, t[n]}' | sort
}
snapshot > "$out/cpu0"
start=$(date +%s.%N)
load --jobs $(( (images + 199) / 200 )) --per-job 200 > "$out/run.json"
end=$(date +%s.%N)
snapshot > "$out/cpu1"
echo "cpu split: $(field images_per_second < "$out/run.json") images/s end to end, outcomes $(field outcomes < "$out/run.json")"
join -a2 -e0 -o 0,1.2,2.2 "$out/cpu0" "$out/cpu1" | awk -v hz="$(getconf CLK_TCK)" -v wall="$(awk -v a="$start" -v b="$end" 'BEGIN {print b - a}')" \
  '{s = ($3 - $2) / hz; if (s > 0.2) printf "  %-24s %7.1f CPU s  %.2f cores\n", $1, s, s / wall} END {printf "  wall %.1f s\n", wall}'
