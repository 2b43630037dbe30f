#!/usr/bin/env bash
# Issue 7, item 1: pipeline efficiency = end-to-end worker images/s (ScoreImages published -> every outcome stored
# and its event published -> ScoringJobCompleted received; real RabbitMQ + PostgreSQL, models/default) divided by
# the bare EnsemblePredictor's images/s on the same images, batch size and torch threads (`metaqap bench
# predictor`). The two are interleaved (predictor, worker, predictor, worker, ...) so machine noise hits both, and
# medians are printed with the load average. The worker stays up between runs (idle while the predictor runs).
#   tools/bench/pipeline.sh [IMAGES_PER_RUN=2000] [BATCH=16] [THREADS=1] [REPEATS=3] [FORMAT=jpg|png]
# THREADS=1 by default: on a 2-core machine shared with other work, 2 torch threads lose several times their speed
# whenever one of them is descheduled (docs/performance.md), and the worker needs a core for decoding anyway.
# METAQAP_BENCH_MODEL=<ensemble folder> benchmarks another ensemble than models/default.
# Ports: deploy/local/env.sh (set METAQAP_*_PORT before calling to run beside another checkout's services).
set -euo pipefail
cd "$(dirname "$0")/../.."
images="${1:-2000}" batch="${2:-16}" threads="${3:-1}" repeats="${4:-3}" format="${5:-jpg}"
per_job=200 jobs=$(( (images + 199) / 200 ))
# shellcheck source=tools/bench/common.sh
source tools/bench/common.sh
# 64 distinct 512x512 PNGs (synthetic contents, distorted): the worker fetches them from a file root.
bench_setup out/bench/pipeline
if [[ $format == jpg ]]; then bench_jpegs "$out/corpus/images"; fi
port=$((METAQAP_METRICS_PORT + 10))

bench_start_worker "$port" "$PWD/$out/corpus/images" "$threads" MetaQap__Batching__MaxBatchSize="$batch"
load() { cut -d' ' -f1-3 /proc/loadavg; }
# CPU seconds (user + system) the worker process has used so far.
cpu() { awk -v t="$(getconf CLK_TCK)" '{print ($14 + $15) / t}' "/proc/$worker_pid/stat"; }
# Warm-up job: model, connections, JIT.
/usr/bin/python3 tools/load/pika_load.py "$MetaQap__RabbitMq__Uri" "$PWD/$out/corpus/images" --jobs 1 --per-job 64 --threads 1 --ext ".$format" >/dev/null

echo "pipeline bench: $((jobs * per_job)) $format images (512x512) per worker run ($jobs jobs x $per_job), batch $batch, $threads torch threads, $(nproc) cores"
pred=() work=() pcpu=() wcpu=()
for r in $(seq 1 "$repeats"); do
  line=$("$cli" bench predictor --model "$model" --images "$out/corpus/images" --batch "$batch" --threads "$threads" --seconds 10 --repeats 1 | grep '^predictor_images_per_s=')
  p=$(sed -n 's/^predictor_images_per_s=\([0-9.]*\).*/\1/p' <<<"$line") pc=$(sed -n 's/.*cpu_ms_per_image=\([0-9.]*\).*/\1/p' <<<"$line")
  pred+=("$p"); pcpu+=("$pc"); echo "  repeat $r: predictor $p images/s, CPU $pc ms/image (load $(load))"
  c0=$(cpu)
  s=$(/usr/bin/python3 tools/load/pika_load.py "$MetaQap__RabbitMq__Uri" "$PWD/$out/corpus/images" --jobs "$jobs" --per-job "$per_job" --threads 1 --ext ".$format")
  w=$(field images_per_second <<<"$s"); work+=("$w")
  c1=$(cpu); wcpu+=("$(awk -v a="$c0" -v b="$c1" -v n="$((jobs * per_job))" 'BEGIN { printf "%.2f", (b - a) * 1000 / n }')")
  echo "  repeat $r: worker $w images/s end to end, outcomes $(field outcomes <<<"$s"), doubled $(field images_with_two_outcomes <<<"$s"), worker CPU ${wcpu[-1]} ms/image (load $(load))"
done
mp=$(median "${pred[@]}") mw=$(median "${work[@]}")
echo "== stage seconds (sum / count) over all runs, from the worker's /metrics"
worker_get "$port" /metrics | grep -E '^metaqap_stage_seconds_(sum|count)|^metaqap_batch_size_' || true
mpc=$(median "${pcpu[@]}") mwc=$(median "${wcpu[@]}")
# Wall efficiency is the issue's figure; CPU efficiency (the model's share of the worker's CPU) separates the
# pipeline's own overhead from time the worker spent waiting for a core on a shared machine.
awk -v w="$mw" -v p="$mp" -v pc="$mpc" -v wc="$mwc" 'BEGIN { printf "pipeline_efficiency=%.3f worker_images_per_s=%s predictor_images_per_s=%s cpu_efficiency=%.3f predictor_cpu_ms=%s worker_cpu_ms=%s\n", w / p, w, p, pc / wc, pc, wc }'
