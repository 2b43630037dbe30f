#!/usr/bin/env bash
# Issue 8's load run: two real worker processes (models/default, one torch thread each) compete on the queues while
# tools/load/pika_load.py, a plain-JSON client on Debian's python3-pika, publishes 50 jobs × 200 images from 4 threads
# and consumes the events. Afterwards PostgreSQL and RabbitMQ are checked: one row per image, each job Completed
# with matching counts, nothing left in the work queues. Numbers go to docs/reliability.md ("Load").
#   tools/load/run.sh [JOBS] [PER_JOB]
set -euo pipefail
cd "$(dirname "$0")/../.."
jobs="${1:-50}" per_job="${2:-200}"
out=out/load
# shellcheck source=deploy/local/env.sh
source deploy/local/env.sh
deploy/local/up.sh >/dev/null
# shellcheck source=deploy/local/lib.sh
source deploy/local/lib.sh
# shellcheck source=deploy/local/rabbitmq.sh
source deploy/local/rabbitmq.sh
dpkg -s python3-pika >/dev/null 2>&1 || { sudo_cmd=(); [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo); "${sudo_cmd[@]}" apt-get install -y --no-install-recommends python3-pika; }

dotnet build src/MetaQap.Cli -c Release --nologo -v quiet >/dev/null
dotnet build src/MetaQap.Worker -c Release --nologo -v quiet >/dev/null
cli=src/MetaQap.Cli/bin/Release/net10.0/linux-x64/metaqap
worker=src/MetaQap.Worker/bin/Release/net10.0/linux-x64/metaqap-worker
rm -rf "$out" && mkdir -p "$out"
"$cli" synth --synthetic --contents 4 --count 40 --size 256 --seed 21 --out "$out/corpus" >/dev/null

pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
for n in 1 2; do
  MetaQap__Model__Path=models/default MetaQap__Model__Threads=1 MetaQap__Sources__FileRoots__0="$PWD/$out/corpus/images" \
    MetaQap__Telemetry__Port=$((METAQAP_METRICS_PORT + n)) "$worker" > "$out/worker$n.log" 2>&1 &
  pids+=($!)
done
for n in 1 2; do
  WAIT_SECONDS=90 wait_for "worker $n" worker_ready $((METAQAP_METRICS_PORT + n))
done

status=0
/usr/bin/python3 tools/load/pika_load.py "$MetaQap__RabbitMq__Uri" "$PWD/$out/corpus/images" --jobs "$jobs" --per-job "$per_job" \
  > "$out/summary.json" || status=$?
/usr/bin/python3 -c "import json,sys; s=json.load(open(sys.argv[1])); s.pop('job_ids'); print(json.dumps(s))" "$out/summary.json"

ids=$(/usr/bin/python3 -c "import json,sys; print(','.join(\"'%s'\" % j for j in json.load(open(sys.argv[1]))['job_ids']))" "$out/summary.json")
echo "== PostgreSQL: rows, scored, failed, pending, completed jobs, jobs whose counts match their rows"
PGPASSWORD="$METAQAP_LOCAL_PASSWORD" /usr/lib/postgresql/15/bin/psql -h 127.0.0.1 -p "$METAQAP_PG_PORT" -U "$METAQAP_DB_USER" -d "$METAQAP_DB_NAME" -At -c "
  SELECT count(*), count(*) FILTER (WHERE r.status = 'Scored'), count(*) FILTER (WHERE r.status = 'Failed'),
         count(*) FILTER (WHERE r.status = 'Pending'),
         (SELECT count(*) FROM scoring_jobs WHERE id IN ($ids) AND status = 'Completed'),
         (SELECT count(*) FROM scoring_jobs j WHERE id IN ($ids) AND scored_images + failed_images =
            (SELECT count(*) FROM image_results x WHERE x.job_id = j.id))
  FROM image_results r WHERE r.job_id IN ($ids)"
echo "== images scored by each worker (metaqap_images_scored_total)"
for n in 1 2; do
  (exec 3<>"/dev/tcp/127.0.0.1/$((METAQAP_METRICS_PORT + n))" && printf 'GET /metrics HTTP/1.0\r\n\r\n' >&3 && cat <&3) 2>/dev/null \
    | grep '^metaqap_images_scored_total' || echo "worker $n: no metric"
done
echo "== RabbitMQ: messages left in the scoring queues"
rabbitmqctl_ -q list_queues name messages | grep -E '^score-image' || true
exit "$status"
