#!/usr/bin/env bash
# Rebuilds the shipped default ensemble from nothing: `metaqap recipe default` on the project's own synthetic
# dead-leaves content plus the nine public-domain / CC0 photos that Debian's python3-skimage package ships
# (licence of each: the Notes of skimage/data/_fetchers.py; models/default/MODEL_CARD.md lists them). The motorcycle
# pair, whose licence is unknown, and the package's other images are not used.
#
#   ./scripts/default-model.sh [OUT]     # OUT defaults to .local/default-model; re-running resumes
#
# Then copy OUT/ensemble/* over models/default/ (MODEL_CARD.md stays).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$repo/.local/default-model}"
skdata=/usr/lib/python3/dist-packages/skimage/data
photos=(astronaut.png rocket.jpg hubble_deep_field.jpg coffee.png chelsea.png camera.png brick.png grass.png gravel.png)

if [[ ! -f "$skdata/astronaut.png" ]]; then
  echo "== installing python3-skimage (apt) for its sample photos"
  sudo_cmd=(); [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get install -y --no-install-recommends python3-skimage
fi

# A folder of links to exactly those nine files, at a stable path (it is recorded in the ensemble's provenance).
folder="$repo/.local/default-photos"
rm -rf "$folder" && mkdir -p "$folder"
for name in "${photos[@]}"; do ln -s "$skdata/$name" "$folder/$name"; done

dotnet build "$repo/src/MetaQap.Cli" -c Release --nologo -v quiet
"$repo/src/MetaQap.Cli/bin/Release/net10.0/linux-x64/metaqap" recipe default --photos "$folder" --out "$out"
echo "ensemble: $out/ensemble (copy its files over models/default/ to ship it)"
