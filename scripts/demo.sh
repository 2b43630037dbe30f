#!/usr/bin/env bash
# The main job, as far as it exists today: builds the CLI and generates a seeded sample of the quality-aware corpus
# (synthetic pristine content x the 25 KADID-10k distortions x 5 levels, pseudo-labelled with SSIM/MS-SSIM/GMSD),
# with a contact sheet to look at. The scoring worker (RabbitMQ + PostgreSQL + the default model) takes this
# script's place when it lands; see README.md "Status".
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-out/demo-corpus}"

dotnet build src/MetaQap.Cli -c Release --nologo -v quiet
cli=src/MetaQap.Cli/bin/Release/net10.0/linux-x64/metaqap

rm -rf "$out"
"$cli" synth --synthetic --contents 8 --count 500 --seed 7 --out "$out"
echo
echo "first rows of $out/corpus.csv:"
head -6 "$out/corpus.csv"
echo
"$cli" bench corpus --samples 300 --repeats 3
