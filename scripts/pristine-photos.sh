#!/usr/bin/env bash
# Gathers the licence-clean photographs of tools/pristine/photos.tsv (issue 15): real photos from Debian 12 packages
# whose licence lets the project ship weights trained on them (public domain, CC0, CC-BY, CC-BY-SA; never GPL or an
# unknown licence). apt downloads each package of tools/pristine/packages.tsv at its pinned version (`apt-get
# download`: nothing is installed, no dependency is pulled, no root needed), its .deb sha256 is checked, it is
# unpacked with dpkg-deb, and every photo is copied into OUT/images with its own sha256 checked; OUT/CREDITS.tsv
# carries the attribution CC-BY needs. Re-running reuses the downloads.
#
#   ./scripts/pristine-photos.sh [OUT]     # OUT defaults to .local/pristine-photos
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$(mkdir -p "${1:-$repo/.local/pristine-photos}" && cd "${1:-$repo/.local/pristine-photos}" && pwd)"
command -v python3 >/dev/null || { echo "pristine-photos: python3 is needed (apt-get install python3-minimal)" >&2; exit 1; }

mkdir -p "$out/debs"
rm -rf "$out/root" && mkdir -p "$out/root"
while IFS=$'\t' read -r package version sha256; do
  [[ $package == \#* || $package == package ]] && continue
  deb=$(find "$out/debs" -maxdepth 1 -name "${package}_*.deb" -print -quit)
  if [[ -z $deb ]] || [[ "$(dpkg-deb -f "$deb" Version)" != "$version" ]]; then
    rm -f "$out/debs/${package}_"*.deb
    echo "== apt-get download $package=$version"
    (cd "$out/debs" && apt-get download -q "$package=$version")
    deb=$(find "$out/debs" -maxdepth 1 -name "${package}_*.deb" -print -quit)
  fi
  actual=$(sha256sum "$deb" | cut -d' ' -f1)
  if [[ $actual != "$sha256" ]]; then
    echo "pristine-photos: $deb has sha256 $actual, tools/pristine/packages.tsv says $sha256" >&2
    exit 1
  fi
  dpkg-deb -x "$deb" "$out/root"
done < "$repo/tools/pristine/packages.tsv"

rm -rf "$out/images"
python3 "$repo/tools/pristine/gather.py" "$repo/tools/pristine/photos.tsv" "$out" "$out/root"
rm -rf "$out/root"
