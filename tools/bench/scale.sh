#!/usr/bin/env bash
# Issue 7, item 5: one large job (a manifestUri listing IMAGES references to 64 generated 512x512 JPEGs) through
# one worker (models/default, 1 torch thread). Every 5 s it samples the worker's VmRSS (/proc/PID/status), its
# metaqap_images_scored_total, the stored rows of the job (PostgreSQL) and, every 4th sample, the depth of
# score-image-items (rabbitmqctl); then prints throughput per 10 % of the job, peak and per-decile RSS, rows/s.
#   tools/bench/scale.sh [IMAGES=100000]
set -euo pipefail
cd "$(dirname "$0")/../.."
images="${1:-100000}"
out=out/bench/scale
# shellcheck source=deploy/local/env.sh
source deploy/local/env.sh
deploy/local/up.sh >/dev/null
# shellcheck source=deploy/local/lib.sh
source deploy/local/lib.sh
# shellcheck source=deploy/local/rabbitmq.sh
source deploy/local/rabbitmq.sh
for q in score-images score-images-json score-image-items; do rabbitmqctl_ -q purge_queue "$q" >/dev/null 2>&1 || true; done
for pkg in python3-pika python3-pil; do dpkg -s "$pkg" >/dev/null 2>&1 || apt-get install -y --no-install-recommends "$pkg" >/dev/null; done
dotnet build src/MetaQap.Cli -c Release --nologo -v quiet >/dev/null
dotnet build src/MetaQap.Worker -c Release --nologo -v quiet >/dev/null
cli=src/MetaQap.Cli/bin/Release/net10.0/linux-x64/metaqap
worker=src/MetaQap.Worker/bin/Release/net10.0/linux-x64/metaqap-worker
rm -rf "$out" && mkdir -p "$out"
"$cli" synth --synthetic --contents 4 --count 64 --size 512 --seed 7 --out "$out/corpus" >/dev/null
job=$(/usr/bin/python3 - "$PWD/$out" "$images" <<'PY'
import glob, json, os, sys, uuid
from PIL import Image
root, n = sys.argv[1], int(sys.argv[2])
files = []
for f in sorted(glob.glob(os.path.join(root, "corpus", "images", "*.png"))):
    Image.open(f).convert("RGB").save(f[:-4] + ".jpg", quality=90)
    os.remove(f)
    files.append(f[:-4] + ".jpg")
with open(os.path.join(root, "manifest.jsonl"), "w") as m:
    for i in range(n):
        m.write(json.dumps({"id": f"i{i:06d}", "uri": files[i % len(files)]}) + "\n")
print(uuid.uuid4())
PY
)
port=$((METAQAP_METRICS_PORT + 30))
MetaQap__Model__Path=models/default MetaQap__Model__Threads=1 MetaQap__Sources__FileRoots__0="$PWD/$out" \
  MetaQap__Telemetry__Port=$port "$worker" > "$out/worker.log" 2>&1 &
worker_pid=$!
trap 'kill "$worker_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  (exec 3<>"/dev/tcp/127.0.0.1/$port" && printf 'GET /healthz HTTP/1.0\r\n\r\n' >&3 && head -1 <&3) 2>/dev/null | grep -q " 200 " && break
  sleep 1
done
scored() { (exec 3<>"/dev/tcp/127.0.0.1/$port" && printf 'GET /metrics HTTP/1.0\r\n\r\n' >&3 && cat <&3) 2>/dev/null | awk '/^metaqap_images_scored_total/ {print $2}'; }
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
