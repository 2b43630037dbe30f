#!/usr/bin/python3
"""Reference values for tests/MetaQap.Imaging.Tests/Distortions (run with Debian's /usr/bin/python3).

    /usr/bin/python3 tools/reference/distortion_reference.py

Needs python3-numpy, python3-scipy, python3-skimage, python3-pil (with OpenJPEG), python3-pywt.
Each section prints the literals one test uses; the test names the section.
pattern256.png is TestImages.Pattern(256, 256) (seed 7) rounded to 8 bits, as the C# side sees it (written once
from C# with SkiaSharp); astronaut256.png is written by astronaut() below when missing.
"""
import io
import os

import numpy as np
import pywt
from PIL import Image
from scipy.interpolate import CubicSpline
from skimage import color

HERE = os.path.dirname(os.path.abspath(__file__))
COLOURS = [(0.0, 0.0, 0.0), (1.0, 1.0, 1.0), (1.0, 0.0, 0.0), (0.2, 0.6, 0.4), (0.9, 0.8, 0.1), (0.3, 0.3, 0.9)]


def section(name):
    print(f"\n== {name}")


def lab():
    section("lab: skimage.color.rgb2lab (D65, 2 degree observer)")
    for c in COLOURS:
        l, a, b = color.rgb2lab(np.array([[c]], dtype=np.float64))[0, 0]
        print(f"[InlineData({c[0]}f, {c[1]}f, {c[2]}f, {l:.4f}, {a:.4f}, {b:.4f})]")


def hsv():
    section("hsv: skimage.color.rgb2hsv")
    for c in COLOURS[2:]:
        h, s, v = color.rgb2hsv(np.array([[c]], dtype=np.float64))[0, 0]
        print(f"[InlineData({c[0]}f, {c[1]}f, {c[2]}f, {h:.6f}, {s:.6f}, {v:.6f})]")


def ycbcr():
    section("ycbcr: skimage.color.rgb2ycbcr / 255 (BT.601 studio range, as MATLAB rgb2ycbcr)")
    for c in COLOURS[2:]:
        y, cb, cr = color.rgb2ycbcr(np.array([[c]], dtype=np.float64))[0, 0] / 255.0
        print(f"[InlineData({c[0]}f, {c[1]}f, {c[2]}f, {y:.6f}, {cb:.6f}, {cr:.6f})]")


def curves():
    section("curves: scipy CubicSpline(bc_type='not-a-knot') == MATLAB spline, clipped to [0, 1]")
    xs = [0.05, 0.2, 0.3, 0.45, 0.6, 0.8, 0.95]
    for amount in (0.3, -0.6):
        cs = CubicSpline([0, 0.3, 0.5, 0.7, 1], [0, 0.25 - amount / 4, 0.5, 0.75 + amount / 4, 1], bc_type="not-a-knot")
        print(f"contrast {amount}:", ", ".join(f"{v:.6f}" for v in np.clip(cs(xs), 0, 1)))
    for middle in (0.5 + 0.4 / 2, 0.5 - 0.8 / 2):
        cs = CubicSpline([0, 0.5, 1], [0, middle, 1], bc_type="not-a-knot")
        print(f"middle {middle:.2f}:", ", ".join(f"{v:.6f}" for v in np.clip(cs(xs), 0, 1)))


def trimodal():
    """Deterministic samples, reproduced in MultiLevelOtsuTests.Trimodal()."""
    i = np.arange(3000)
    centres = np.array([0.15, 0.5, 0.85])[i % 3]
    u = ((i * 7919) % 1000) / 1000.0
    offsets = (u * u - 0.5) * 0.4  # overlapping, skewed clusters: no empty gaps, so no tied optima
    return (centres + offsets).astype(np.float32).astype(np.float64)


def otsu_dp(samples, count):
    """Plain O(K * B^2) dynamic programme over MATLAB-style bins (centres at min + k (max-min)/255)."""
    lo, hi = samples.min(), samples.max()
    bins = np.rint((samples - lo) * 255.0 / (hi - lo)).astype(int)
    hist = np.bincount(bins, minlength=256).astype(np.float64)
    k = np.arange(256, dtype=np.float64)
    w = np.concatenate([[0], np.cumsum(hist)])
    m1 = np.concatenate([[0], np.cumsum(hist * k)])
    m2 = np.concatenate([[0], np.cumsum(hist * k * k)])

    def within(a, b):
        weight = w[b + 1] - w[a]
        if weight <= 0:
            return 0.0
        s1 = m1[b + 1] - m1[a]
        return m2[b + 1] - m2[a] - s1 * s1 / weight

    classes = count + 1
    cost = np.full((classes, 256), np.inf)
    start = np.zeros((classes, 256), dtype=int)
    for j in range(256):
        cost[0, j] = within(0, j)
    for c in range(1, classes):
        for j in range(c, 256):
            best, arg = np.inf, c
            for s in range(c, j + 1):
                v = cost[c - 1, s - 1] + within(s, j)
                if v < best:
                    best, arg = v, s
            cost[c, j], start[c, j] = best, arg
    ends, end = [], 255
    for c in range(classes - 1, 0, -1):
        s = start[c, end]
        ends.append(s - 1)
        end = s - 1
    return [lo + e * (hi - lo) / 255.0 for e in reversed(ends)]


def otsu():
    section("otsu: thresholds on Trimodal(); 2 by exhaustive search of the between-class variance, 7 by plain DP")
    samples = trimodal()
    lo, hi = samples.min(), samples.max()
    bins = np.rint((samples - lo) * 255.0 / (hi - lo)).astype(int)
    hist = np.bincount(bins, minlength=256).astype(np.float64)
    p = hist / hist.sum()
    k = np.arange(256)
    mu = (p * k).sum()
    best, arg = -1.0, None
    for t1 in range(255):
        for t2 in range(t1 + 1, 255):
            var = 0.0
            for a, b in ((0, t1), (t1 + 1, t2), (t2 + 1, 255)):
                wk = p[a:b + 1].sum()
                if wk > 0:
                    mk = (p[a:b + 1] * k[a:b + 1]).sum() / wk
                    var += wk * (mk - mu) ** 2
            if var > best:
                best, arg = var, (t1, t2)
    print("two:", ", ".join(f"{lo + t * (hi - lo) / 255.0:.6f}" for t in arg))
    print("seven:", ", ".join(f"{t:.6f}" for t in otsu_dp(samples, 7)))


def wavelet():
    section("wavelet: pywt bior4.4 (CDF 9/7) analysis low-pass taps / sqrt(2) (DC gain 1)")
    taps = np.array(pywt.Wavelet("bior4.4").dec_lo[1:]) / np.sqrt(2)
    print(", ".join(f"{t:.9f}" for t in taps))
    taps = np.array(pywt.Wavelet("bior4.4").dec_hi[:-1])
    print("high (pywt scale, sign/scale differ by convention):", ", ".join(f"{t:.9f}" for t in taps))


def psnr(a, b):
    mse = np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2)
    return 10 * np.log10(255.0 ** 2 / mse)


def codecs():
    section("codecs: PSNR (dB) of libjpeg (PIL, 4:2:0) and OpenJPEG (PIL, 9/7, 6 resolutions) round trips")
    for name in ("pattern256.png", "astronaut256.png"):
        src = np.asarray(Image.open(os.path.join(HERE, name)).convert("RGB"))
        for quality in (43, 36, 24, 7, 4):
            buf = io.BytesIO()
            Image.fromarray(src).save(buf, format="JPEG", quality=quality, subsampling="4:2:0")
            out = np.asarray(Image.open(io.BytesIO(buf.getvalue())).convert("RGB"))
            print(f"{name} jpeg q{quality}: {psnr(src, out):.2f} dB, {len(buf.getvalue())} bytes")
        for ratio in (16, 32, 45, 120, 400):
            buf = io.BytesIO()
            Image.fromarray(src).save(buf, format="JPEG2000", quality_mode="rates", quality_layers=[ratio],
                                      irreversible=True, num_resolutions=6)
            out = np.asarray(Image.open(io.BytesIO(buf.getvalue())).convert("RGB"))
            print(f"{name} jp2k ratio {ratio}: {psnr(src, out):.2f} dB, {len(buf.getvalue())} bytes (target {src.size // ratio})")


def astronaut():
    """Writes astronaut256.png: scikit-image's astronaut (NASA, public domain) area-downscaled to 256x256."""
    from skimage import data, transform
    small = transform.resize(data.astronaut(), (256, 256), anti_aliasing=True, preserve_range=True)
    Image.fromarray((small + 0.5).clip(0, 255).astype(np.uint8)).save(os.path.join(HERE, "astronaut256.png"), optimize=True)


if __name__ == "__main__":
    if not os.path.exists(os.path.join(HERE, "astronaut256.png")):
        astronaut()
    lab()
    hsv()
    ycbcr()
    curves()
    otsu()
    wavelet()
    codecs()
