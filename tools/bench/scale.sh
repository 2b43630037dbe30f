#!/usr/bin/env bash
# Issue 7, item 5: one large job (a manifestUri listing IMAGES references to 64 generated 512x512 JPEGs) through
# one worker (models/default, 1 torch thread). Every 5 s it samples the worker's VmRSS (/proc/PID/status), its
# metaqap_images_scored_total, the stored rows of the job (PostgreSQL) and, every 4th sample, the depth of
# score-image-items (rabbitmqctl); then prints throughput per 10 % of the job, peak and per-decile RSS, rows/s.
#   tools/bench/scale.sh [IMAGES=100000]
set -euo pipefail
cd "$(dirname "$0")/../.."
images="${1:-100000}"
# shellcheck source=tools/bench/common.sh
source tools/bench/common.sh
bench_setup out/bench/scale
bench_jpegs "$out/corpus/images"
job=$(/usr/bin/python3 - "$PWD/$out" "$images" <<'PY'
import glob, json, os, sys, uuid
root, n = sys.argv[1], int(sys.argv[2])
files = sorted(glob.glob(os.path.join(root, "corpus", "images", "*.jpg")))
with open(os.path.join(root, "manifest.jsonl"), "w") as m:
    for i in range(n):
        m.write(json.dumps({"id": f"i{i:06d}", "uri": files[i % len(files)]}) + "\n")
print(uuid.uuid4())
PY
)
port=$((METAQAP_METRICS_PORT + 30))
bench_start_worker "$port" "$PWD/$out" 1
scored() { bench_scored "$port"; }
rows() { PGPASSWORD="$METAQAP_LOCAL_PASSWORD" /usr/lib/postgresql/15/bin/psql -h 127.0.0.1 -p "$METAQAP_PG_PORT" -U "$METAQAP_DB_USER" -d "$METAQAP_DB_NAME" -At \
  -c "SELECT count(*) FILTER (WHERE status <> 'Pending'), count(*) FROM image_results WHERE job_id = '$job'"; }
/usr/bin/python3 -c "
import json, sys, pika
c = pika.BlockingConnection(pika.URLParameters(sys.argv[1])); ch = c.channel()
ch.basic_publish('', 'score-images-json', json.dumps({'jobId': sys.argv[2], 'manifestUri': sys.argv[3], 'tags': {'client': 'scale'}}).encode(),
                 pika.BasicProperties(content_type='application/json', delivery_mode=2)); c.close()" \
  "$MetaQap__RabbitMq__Uri" "$job" "$PWD/$out/manifest.jsonl"
start=$(date +%s.%N)
echo "t_s scored rss_kib stored_rows queue_depth load1" > "$out/samples.txt"
i=0
while :; do
  t=$(awk -v s="$start" -v n="$(date +%s.%N)" 'BEGIN {printf "%.1f", n - s}')
  s=$(scored); r=$(rows | cut -d'|' -f1); rss=$(awk '/^VmRSS/ {print $2}' "/proc/$worker_pid/status")
  depth=-; if ((i % 4 == 0)); then depth=$(rabbitmqctl_ -q list_queues name messages 2>/dev/null | awk '$1 == "score-image-items" {print $2}'); fi
  echo "$t ${s:-0} $rss ${r:-0} ${depth:-?} $(cut -d' ' -f1 /proc/loadavg)" >> "$out/samples.txt"
  [[ ${r:-0} -ge $images ]] && break
  i=$((i + 1)); sleep 5
done
/usr/bin/python3 - "$out/samples.txt" "$images" <<'PY'
import sys
rows = [l.split() for l in open(sys.argv[1]).read().splitlines()[1:]]
n = int(sys.argv[2]); t = [float(r[0]) for r in rows]; stored = [int(r[3]) for r in rows]; rss = [int(r[2]) for r in rows]
print(f"scale bench: {n} images in one job, {t[-1]:.0f} s, {n / t[-1]:.1f} images/s overall, stored rows/s {stored[-1] / t[-1]:.1f}")
prev_t, prev_s = 0.0, 0
for d in range(1, 11):
    k = next(i for i, s in enumerate(stored) if s >= n * d / 10)
    rate = (stored[k] - prev_s) / (t[k] - prev_t) if t[k] > prev_t else float("nan")
    window = [rss[j] for j in range(len(rows)) if prev_t <= t[j] <= t[k]] or [rss[k]]
    print(f"  decile {d:2d}: {rate:6.1f} images/s, RSS max {max(window) / 1024:.0f} MiB, load {rows[k][5]}")
    prev_t, prev_s = t[k], stored[k]
print(f"  peak RSS {max(rss) / 1024:.0f} MiB; queue depth samples: {' '.join(r[4] for r in rows if r[4] != '-')}")
PY
