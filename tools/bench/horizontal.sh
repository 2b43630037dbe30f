#!/usr/bin/env bash
# Issue 7, item 6: 1 vs 2 worker processes on the same queues, each pinned to its own core (taskset) with one torch
# thread; runs alternate (1, 2, 1, 2, ...). Each run publishes the same jobs through tools/load/pika_load.py, which
# fails unless every image got exactly one outcome; afterwards metaqap_images_scored_total summed over the workers
# must equal the images of the run (nothing scored twice, e.g. by both workers). Prints the median ratio.
#   tools/bench/horizontal.sh [IMAGES_PER_RUN=1200] [REPEATS=2]
set -euo pipefail
cd "$(dirname "$0")/../.."
images="${1:-1200}" repeats="${2:-2}"
per_job=200 jobs=$(( (images + 199) / 200 ))
# shellcheck source=tools/bench/common.sh
source tools/bench/common.sh
bench_setup out/bench/horizontal
bench_jpegs "$out/corpus/images"

pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
port() { echo $((METAQAP_METRICS_PORT + 20 + $1)); }
metric() { bench_scored "$(port "$1")"; }
start_workers() {  # $1 = how many; worker n runs on core n-1
  pids=()
  for n in $(seq 1 "$1"); do
    MetaQap__Model__Path=models/default MetaQap__Model__Threads=1 MetaQap__Sources__FileRoots__0="$PWD/$out/corpus/images" \
      MetaQap__Telemetry__Port="$(port "$n")" taskset -c $((n - 1)) "$worker" > "$out/worker$n.log" 2>&1 &
    pids+=($!)
  done
  for n in $(seq 1 "$1"); do
    bench_wait_ready "$(port "$n")"
  done
  # Warm-up job, then the counters' starting values.
  /usr/bin/python3 tools/load/pika_load.py "$MetaQap__RabbitMq__Uri" "$PWD/$out/corpus/images" --jobs "$1" --per-job 64 --threads 1 --ext .jpg >/dev/null
}
stop_workers() { kill "${pids[@]}"; wait "${pids[@]}" 2>/dev/null || true; pids=(); }

echo "horizontal bench: $((jobs * per_job)) jpg images (512x512) per run, workers pinned one per core, 1 torch thread each, $(nproc) cores"
declare -A rates=([1]="" [2]="")
for r in $(seq 1 "$repeats"); do
  for w in 1 2; do
    start_workers "$w"
    before=0; for n in $(seq 1 "$w"); do before=$(awk -v a="$before" -v b="$(metric "$n")" 'BEGIN {print a + b}'); done
    s=$(/usr/bin/python3 tools/load/pika_load.py "$MetaQap__RabbitMq__Uri" "$PWD/$out/corpus/images" --jobs "$jobs" --per-job "$per_job" --threads 1 --ext .jpg)
    after=0 per=""
    for n in $(seq 1 "$w"); do m=$(metric "$n"); per="$per $m"; after=$(awk -v a="$after" -v b="$m" 'BEGIN {print a + b}'); done
    rate=$(field images_per_second <<<"$s"); rates[$w]="${rates[$w]} $rate"
    echo "  repeat $r, $w worker(s): $rate images/s, outcomes $(field outcomes <<<"$s"), images with two outcomes $(field images_with_two_outcomes <<<"$s"), scored by the workers in this run $(awk -v a="$after" -v b="$before" 'BEGIN {print a - b}') (counters:$per) (load $(cut -d' ' -f1-3 /proc/loadavg))"
    stop_workers
  done
done
# shellcheck disable=SC2086 # word splitting of the collected rates is intended
m1=$(median ${rates[1]}) m2=$(median ${rates[2]})
awk -v a="$m1" -v b="$m2" 'BEGIN { printf "horizontal_ratio=%.2f one_worker_images_per_s=%s two_workers_images_per_s=%s\n", b / a, a, b }'
