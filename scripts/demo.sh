#!/usr/bin/env bash
# The main job, end to end on this machine: starts local RabbitMQ + PostgreSQL + Prometheus (deploy/local), builds,
# starts the scoring worker with the shipped default ensemble (models/default, see its MODEL_CARD.md), submits a demo
# job (four licence-clean photos, tests/data/photos, under blur, noise, JPEG and exposure at several levels, plus two broken
# files) and prints every result, the job summary, how the scores follow the images' pseudo-quality labels, and where
# to see the metrics; then, when a rated set is at hand (../shared/data/biq2021-dev, or METAQAP_DEMO_RATINGS), calibrates
# the default on 100 rated photos and checks it on 100 others. How well the default agrees with people on real photos
# is in docs/default-model.md.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${METAQAP_DEMO_DIR:-out/demo}"

# shellcheck source=deploy/local/env.sh
source deploy/local/env.sh
deploy/local/up.sh
# shellcheck source=deploy/local/lib.sh
source deploy/local/lib.sh

echo "== build"
dotnet build src/MetaQap.Cli -c Release --nologo -v quiet
dotnet build src/MetaQap.Worker -c Release --nologo -v quiet
cli=src/MetaQap.Cli/bin/Release/net10.0/linux-x64/metaqap
worker=src/MetaQap.Worker/bin/Release/net10.0/linux-x64/metaqap-worker
rm -rf "$out"
mkdir -p "$out"

model="${METAQAP_MODEL:-models/default}"
[[ -f "$model/manifest.json" ]] || { echo "no ensemble at $model (scripts/default-model.sh rebuilds models/default)"; exit 1; }

echo "== demo images: each of 4 real photos (tests/data/photos) under 7 camera-like distortions at 5 levels"
photos=(astronaut camera brick gravel)
for photo in "${photos[@]}"; do
  others=(); for p in "${photos[@]}"; do [[ $p == "$photo" ]] || others+=("$p.jpg"); done
  dir="$out/$photo"; [[ $photo == astronaut ]] && dir="$out/images" # the job's folder
  "$cli" synth --pristine tests/data/photos --exclude "${others[@]}" --count 35 --size 512 --seed 11 --out "$dir" \
    --types gaussian_blur motion_blur white_noise jpeg darken brighten contrast_change > /dev/null
done
echo "== the job: the 35 versions of astronaut.jpg, plus two broken files"
head -c 2000 "$out/images/images/$(ls "$out/images/images" | head -1)" > "$out/images/images/truncated.png"
echo "this is not an image" > "$out/images/images/text.jpg"

echo "== worker (model $model)"
MetaQap__Model__Path="$model" MetaQap__Sources__FileRoots__0="$PWD/$out/images" \
  "$worker" > "$out/worker.log" 2>&1 &
worker_pid=$!
trap 'kill "$worker_pid" 2>/dev/null || true' EXIT
for attempt in $(seq 1 60); do
  if worker_ready "$METAQAP_METRICS_PORT"; then break; fi
  kill -0 "$worker_pid" 2>/dev/null || { echo "the worker stopped:"; tail -20 "$out/worker.log"; exit 1; }
  [[ $attempt -lt 60 ]] || { echo "the worker did not become ready in 60 s:"; tail -20 "$out/worker.log"; exit 1; }
  sleep 1
done

echo "== job"
"$cli" submit --images "$out/images/images" --wait --timeout 300
echo
echo "== per photo: how the scores order its 35 versions against their full-reference pseudo-quality (corpus.csv)"
for photo in "${photos[@]}"; do
  dir="$out/$photo"; [[ $photo == astronaut ]] && dir="$out/images"
  printf '%-10s %s\n' "$photo" "$("$cli" eval --model "$model" --dataset "$dir" --threads 2 2>/dev/null | grep -E '^srocc')"
done
echo "(agreement with people on real photos: models/default/MODEL_CARD.md, SROCC 0.560 on 5,000 rated BIQ2021 photos)"
echo

# Calibration (docs/calibration.md): 100 images someone rated fit an ensemble on their scale, checked on 100 others.
ratings="${METAQAP_DEMO_RATINGS:-../shared/data/biq2021-dev}"
if [[ -f "$ratings/mos.csv" && -d "$ratings/images" ]]; then
  echo "== calibration: 100 rated photos of $ratings fit the default to their MOS; 100 others check it"
  # A seeded draw of 200 rows, split into two MOS folders (the header kept) whose images link to the originals.
  tail -n +2 "$ratings/mos.csv" | shuf -n 200 --random-source=<(yes 11) > "$out/drawn.csv"
  for part in fit check; do
    mkdir -p "$out/ratings-$part/images"
    { head -1 "$ratings/mos.csv"; if [[ $part == fit ]]; then head -100 "$out/drawn.csv"; else tail -100 "$out/drawn.csv"; fi; } > "$out/ratings-$part/mos.csv"
    tail -n +2 "$out/ratings-$part/mos.csv" | cut -d, -f1 | while IFS= read -r name; do
      ln -s "$(realpath "$ratings/images/$name")" "$out/ratings-$part/images/$name"
    done
  done
  # At the default's own 384-px view: the calibrated ensemble keeps the default's speed, and the demo its 2 minutes
  # (calibration's own default, 512 px, ranks better: docs/calibration.md).
  "$cli" calibrate --model "$model" --dataset "$out/ratings-fit" --out "$out/calibrated" --view-side 384 --threads 2 | grep -E '^calibrated'
  echo "on the 100 photos it did not see (base lines: each member alone; ${model##*/}'s own head is the default's ranking):"
  "$cli" eval --model "$out/calibrated" --dataset "$out/ratings-check" --threads 2 2>/dev/null | grep -E '^(srocc|plcc|base)'
else
  echo "== calibration: no rated set at $ratings (a MOS folder: mos.csv + images/; set METAQAP_DEMO_RATINGS); skipped"
fi
echo
echo "metrics: http://127.0.0.1:$METAQAP_METRICS_PORT/metrics   Prometheus: $METAQAP_PROMETHEUS_URL   worker log: $out/worker.log"
echo "stop the local services with: deploy/local/down.sh"
