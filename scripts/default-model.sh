#!/usr/bin/env bash
# Rebuilds the shipped default ensemble from nothing: `metaqap recipe default` (its preset: a rank head on the frozen
# ImageNet trunk of Microsoft.ML.DnnImageFeaturizer.ResNet18, docs/default-model.md) on the 146 licence-clean photos
# of tools/pristine/photos.tsv, which scripts/pristine-photos.sh gathers from Debian 12 packages with apt and checks
# by sha256. No opinion score is used; nothing is downloaded but those packages.
#
#   ./scripts/default-model.sh [OUT]     # OUT defaults to .local/default-model; re-running resumes
#
# Then copy OUT/ensemble/* over models/default/ (MODEL_CARD.md stays).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$repo/.local/default-model}"
photos="$repo/.local/pristine-photos" # a stable path: it is recorded in the ensemble's provenance

"$repo/scripts/pristine-photos.sh" "$photos"
dotnet build "$repo/src/MetaQap.Cli" -c Release --nologo -v quiet
"$repo/src/MetaQap.Cli/bin/Release/net10.0/linux-x64/metaqap" recipe default --photos "$photos/images" --out "$out"
echo "ensemble: $out/ensemble (copy its files over models/default/ to ship it)"
