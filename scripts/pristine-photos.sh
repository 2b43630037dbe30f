#!/usr/bin/env bash
# Gathers the licence-clean photographs of tools/pristine/photos.tsv (issue 15): real photos from Debian 12 packages
# whose licence lets the project ship weights trained on them (public domain, CC0, CC-BY, CC-BY-SA; never GPL or an
# unknown licence). Installs each package at the manifest's version with apt (only if it is not installed at it), then
# copies every photo into OUT/images and checks its sha256; OUT/CREDITS.tsv carries the attribution CC-BY needs.
#
#   ./scripts/pristine-photos.sh [OUT]     # OUT defaults to .local/pristine-photos
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$repo/.local/pristine-photos}"
manifest="$repo/tools/pristine/photos.tsv"
sudo_cmd=(); [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)

mapfile -t wanted < <(grep -v '^#' "$manifest" | tail -n +2 | cut -f1,2 | sort -u | tr '\t' '=')
missing=()
for spec in "${wanted[@]}"; do
  package="${spec%%=*}" version="${spec#*=}"
  [[ "$(dpkg-query -W -f='${Version}' "$package" 2>/dev/null || true)" == "$version" ]] || missing+=("$spec")
done
command -v python3 >/dev/null || missing+=(python3-minimal)
if (( ${#missing[@]} > 0 )); then
  echo "== installing with apt: ${missing[*]}"
  "${sudo_cmd[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
fi

rm -rf "$out/images"
python3 "$repo/tools/pristine/gather.py" "$manifest" "$out"
