#!/usr/bin/python3
"""Calibration of PseudoQuality's per-metric mappings (docs/pseudo-quality.md).

Run from the repository root with Debian's Python (numpy, scipy, scikit-image 0.19, Pillow):

    /usr/bin/python3 tools/reference/calibrate_pseudo_quality.py

It applies a KADID-10k-like sweep (11 distortion families x 5 levels, mild to severe) to four natural photos
from skimage.data, measures each metric with the definitions of fr_metrics.py, and, for each metric's
distortion magnitude d (1 - SSIM, 1 - MS-SSIM, GMSD), prints the 10th and 90th percentiles and the
log-logistic mapping q(d) = 1 / (1 + (d / d50)^p) that sends them to 0.85 and 0.15:
    d50 = sqrt(d10 * d90),  p = 2 ln(0.85 / 0.15) / ln(d90 / d10).
"""
import io
import os
import sys

import numpy as np
from PIL import Image
from scipy import ndimage
from skimage import data

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fr_metrics import gmsd, luma, ms_ssim, quantise, ssim_skimage  # noqa: E402

SIDE = 256

# The constants PseudoQuality.cs uses: the printed calibration rounded to two significant digits.
CHOSEN = {"1-SSIM": (0.15, 1.25, 0.25), "1-MS-SSIM": (0.033, 0.9, 0.35), "GMSD": (0.046, 1.1, 0.40)}


def pseudo_quality(ds):
    q = [w / (1 + (max(d, 0.0) / d50) ** p) for d, (d50, p, w) in zip(ds, CHOSEN.values())]
    return 100 * sum(q) / sum(w for _, _, w in CHOSEN.values())


def photos():
    for name in ("astronaut", "chelsea", "coffee", "rocket"):
        img = Image.fromarray(getattr(data, name)())
        scale = SIDE / min(img.size)
        img = img.resize((round(img.size[0] * scale), round(img.size[1] * scale)), Image.BICUBIC)
        left, top = (img.size[0] - SIDE) // 2, (img.size[1] - SIDE) // 2
        yield name, np.asarray(img.crop((left, top, left + SIDE, top + SIDE)))


def codec(rgb, fmt, **kwargs):
    buf = io.BytesIO()
    Image.fromarray(rgb).save(buf, format=fmt, **kwargs)
    buf.seek(0)
    return np.asarray(Image.open(buf).convert("RGB"))


def distortions(rng):
    """(family, level, function of float RGB in [0,1] and uint8 RGB -> uint8 RGB)."""
    blur = [0.5, 1.0, 2.0, 3.0, 5.0]
    noise = [0.02, 0.04, 0.07, 0.10, 0.15]
    jpeg_q = [50, 30, 15, 8, 4]
    j2k_rate = [40, 80, 160, 320, 640]
    impulse = [0.01, 0.03, 0.06, 0.10, 0.20]
    speckle = [0.05, 0.10, 0.15, 0.22, 0.30]
    pixel = [2, 3, 4, 6, 8]
    contrast = [0.5, 0.7, 1.3, 1.6, 2.0]
    gamma = [0.5, 0.7, 1.4, 1.8, 2.5]
    shift = [-0.15, -0.08, 0.05, 0.10, 0.20]
    colours = [48, 24, 12, 6, 3]
    for lv in range(5):
        yield "gaussian_blur", lv, lambda f, u, s=blur[lv]: quantise(ndimage.gaussian_filter(f, (s, s, 0)))
        yield "white_noise", lv, lambda f, u, s=noise[lv]: quantise(f + rng.normal(0, s, f.shape))
        yield "jpeg", lv, lambda f, u, q=jpeg_q[lv]: codec(u, "JPEG", quality=q)
        yield "jpeg2000", lv, lambda f, u, r=j2k_rate[lv]: codec(u, "JPEG2000", quality_mode="rates", quality_layers=[r])
        yield "impulse_noise", lv, lambda f, u, p=impulse[lv]: impulse_noise(u, p, rng)
        yield "multiplicative_noise", lv, lambda f, u, s=speckle[lv]: quantise(f * (1 + rng.normal(0, s, f.shape)))
        yield "pixelate", lv, lambda f, u, k=pixel[lv]: pixelate(u, k)
        yield "contrast", lv, lambda f, u, c=contrast[lv]: quantise((f - f.mean()) * c + f.mean())
        yield "gamma", lv, lambda f, u, g=gamma[lv]: quantise(f ** g)
        yield "mean_shift", lv, lambda f, u, d=shift[lv]: quantise(f + d)
        yield "quantisation", lv, lambda f, u, n=colours[lv]: quantise(np.round(f * (n - 1)) / (n - 1))


def impulse_noise(u, p, rng):
    out = u.copy()
    hit = rng.random(u.shape[:2]) < p
    out[hit] = np.where(rng.random(hit.sum()) < 0.5, 0, 255)[:, None]
    return out


def pixelate(u, k):
    img = Image.fromarray(u)
    small = img.resize((SIDE // k, SIDE // k), Image.BOX)
    return np.asarray(small.resize((SIDE, SIDE), Image.NEAREST))


def main():
    rng = np.random.default_rng(7)
    rows = []
    for name, ref in photos():
        f = ref.astype(np.float64) / 255.0
        x = luma(ref)
        for family, level, fn in distortions(rng):
            y = luma(fn(f, ref))
            rows.append((name, family, level, 1 - ssim_skimage(x, y), 1 - ms_ssim(x, y)[0], gmsd(x, y)))
    d = np.array([r[3:] for r in rows])
    print(f"{len(rows)} distorted images")
    for i, metric in enumerate(("1-SSIM", "1-MS-SSIM", "GMSD")):
        d10, d50, d90 = np.percentile(d[:, i], [10, 50, 90])
        mid = np.sqrt(d10 * d90)
        p = 2 * np.log(0.85 / 0.15) / np.log(d90 / d10)
        print(f"{metric:10s} d10={d10:.4f} median={d50:.4f} d90={d90:.4f} -> d50={mid:.4f} p={p:.3f}")
    pq = np.array([pseudo_quality(r[3:]) for r in rows])
    print(f"pseudo-quality with the chosen constants: p10={np.percentile(pq, 10):.1f} "
          f"median={np.median(pq):.1f} p90={np.percentile(pq, 90):.1f}")
    print("per family: medians of 1-SSIM, 1-MS-SSIM, GMSD; mean pseudo-quality at levels 1..5")
    for family in dict.fromkeys(r[1] for r in rows):
        sel = np.array([r[3:] for r in rows if r[1] == family])
        by_level = [np.mean([pq[i] for i, r in enumerate(rows) if r[1] == family and r[2] == lv]) for lv in range(5)]
        print(f"  {family:22s} " + " ".join(f"{v:.4f}" for v in np.median(sel, axis=0))
              + "  |" + " ".join(f"{v:5.1f}" for v in by_level))


if __name__ == "__main__":
    main()
