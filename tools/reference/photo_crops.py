"""Seeded 256x256 crops of photos after a 4x box reduction, to compare their spectra with the synthetic content.

Usage: /usr/bin/python3 tools/reference/photo_crops.py OUT_DIR photo.jpg [photo.jpg ...]
then:  /usr/bin/python3 tools/reference/radial_spectrum.py 4 64 OUT_DIR/*.png
"""
import os
import random
import sys

from PIL import Image


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    rng = random.Random(1)
    for i, path in enumerate(sorted(sys.argv[2:])):
        image = Image.open(path).convert("RGB").reduce(4)
        w, h = image.size
        if min(w, h) < 256:
            continue
        x, y = rng.randrange(w - 255), rng.randrange(h - 255)
        image.crop((x, y, x + 256, y + 256)).save(os.path.join(out, f"crop{i:02d}.png"))


if __name__ == "__main__":
    main()
