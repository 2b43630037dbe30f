#!/usr/bin/env bash
# Training over messages, end to end on this machine (docs/training.md): starts the local services, one worker with
# both roles (scoring with models/default, training into a model store), then submits as messages a quality-aware
# pretraining, two fine-tunings (one from the pretrained artifact, one from scratch), a stepwise meta-learner fit and
# its promotion, and scores a job with the promoted ensemble, which the worker switched to without a restart.
# Sizes are a demonstration (resnet10_w32 at 64 px, a few steps), not a useful model: a few minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${METAQAP_TRAIN_DEMO_DIR:-out/train-demo}"

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
mkdir -p "$out/data" "$out/store"

echo "== a small MOS dataset: synthetic scenes at every distortion level, pseudo-quality as MOS"
"$cli" synth --synthetic --contents 8 --count 240 --size 96 --seed 5 --out "$out/data/synth" > /dev/null

echo "== worker: scoring (models/default until a promotion) + training"
MetaQap__Model__Path=models/default MetaQap__Sources__FileRoots__0="$PWD/$out/data/synth/images" \
  MetaQap__Roles__Training=true MetaQap__Registry__ModelStore="$PWD/$out/store" \
  MetaQap__Training__DataRoots__0="$PWD/$out/data" MetaQap__Training__ProgressInterval=00:00:02 \
  "$worker" > "$out/worker.log" 2>&1 &
worker_pid=$!
trap 'kill "$worker_pid" 2>/dev/null || true' EXIT
for attempt in $(seq 1 60); do
  if worker_ready "$METAQAP_METRICS_PORT"; then break; fi
  kill -0 "$worker_pid" 2>/dev/null || { echo "the worker stopped:"; tail -20 "$out/worker.log"; exit 1; }
  [[ $attempt -lt 60 ]] || { echo "the worker did not become ready in 60 s"; exit 1; }
  sleep 1
done

uuid() { cat /proc/sys/kernel/random/uuid; }
pre=$(uuid) a=$(uuid) b=$(uuid) meta=$(uuid)
tiny=(--epochs 3 --steps-per-epoch 10 --batch-size 8 --val-samples 48 --lr 0.001)
start=$SECONDS
echo "== pretrain (synthetic content × 25 distortions × 5 levels)"
"$cli" train submit pretrain --run-id "$pre" --arch resnet10_w32 --size 64 --synthetic 16 "${tiny[@]}" --wait --timeout 600
echo "== fine-tune from the pretrained artifact, and from scratch (fold 1/2 validates)"
"$cli" train submit train --run-id "$a" --arch resnet10_w32 --dataset "$PWD/$out/data/synth" --init "$pre" --fold 1/2 "${tiny[@]}" --wait --timeout 600
"$cli" train submit train --run-id "$b" --arch resnet10_w32 --size 64 --dataset "$PWD/$out/data/synth" --fold 1/2 "${tiny[@]}" --wait --timeout 600
echo "== stepwise meta-learner on fold 1/2 (held out by both)"
"$cli" train submit fit-meta --run-id "$meta" --model "$a" --model "$b" --dataset "$PWD/$out/data/synth" --fold 1/2 \
  --version "demo-${meta:0:8}" --wait --timeout 600
echo "== promote"
"$cli" promote "$meta" --wait
echo "training chain: $((SECONDS - start)) s"
echo
"$cli" runs --limit 4
echo
"$cli" models --limit 4
echo
echo "== a scoring job, now scored by demo-${meta:0:8}"
"$cli" submit --images "$out/data/synth/images" --wait --timeout 300 | tail -4
echo
echo "worker log: $out/worker.log   model store: $out/store   stop the services with: deploy/local/down.sh"
