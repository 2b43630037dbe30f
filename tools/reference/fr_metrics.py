#!/usr/bin/python3
"""Reference values for MetaQap.Imaging.Metrics (SSIM, MS-SSIM, GMSD).

Run from the repository root with Debian's Python (numpy, scipy, scikit-image 0.19):

    /usr/bin/python3 tools/reference/fr_metrics.py            # print the reference values
    /usr/bin/python3 tools/reference/fr_metrics.py --write    # also (re)write the test images

The test images are 8-bit binary PPMs in tests/MetaQap.Imaging.Tests/Metrics/Data/, so Python and C#
read exactly the same samples. Content: crops of skimage.data.astronaut() (NASA, public domain) and
distorted versions (Gaussian blur, white noise with a fixed seed, JPEG, brightness shift).

Definitions (the C# code follows the same ones):
  * luma: Rec.601, computed in float32 exactly as RgbImage.ToLuma() does, then used in float64.
  * SSIM: skimage.metrics.structural_similarity(gaussian_weights=True, sigma=1.5,
    use_sample_covariance=False, data_range=1) -- the library itself, not a re-implementation.
  * MS-SSIM: Wang, Simoncelli & Bovik 2003 after Wang's msssim.m: 11x11 Gaussian (sigma 1.5) 'valid'
    filtering, K = (0.01, 0.03), mean contrast-structure at scales 1..L-1 and mean SSIM at scale L,
    weights (0.0448, 0.2856, 0.3001, 0.2363, 0.1333); between scales imfilter(ones(2)/4, 'symmetric')
    then keep every second sample. L = 5, or fewer when the coarsest scale would be under 11 pixels,
    with the first L weights renormalised to sum to 1. Negative means are clamped to 0 before the powers.
  * GMSD: Xue, Zhang, Mou & Bovik 2014 after the authors' GMSD.m: conv2(ones(2)/4, 'same') then keep
    every second sample, Prewitt/3 with conv2 'same' (zero padding), T = 170/255^2 for [0,1] data,
    score = std2 (N-1 normalisation) of the GMS map.
"""
import os
import sys

import numpy as np
from PIL import Image
from scipy import ndimage, signal
from skimage import data
from skimage.metrics import structural_similarity

DATA_DIR = os.path.join("tests", "MetaQap.Imaging.Tests", "Metrics", "Data")
MS_WEIGHTS = np.array([0.0448, 0.2856, 0.3001, 0.2363, 0.1333])
K1, K2 = 0.01, 0.03
GMSD_T = 170.0 / 255.0 ** 2


def luma(rgb_u8):
    """Rec.601 luma in float32, in the same operation order as RgbImage.ToLuma()."""
    f = rgb_u8.astype(np.float32) / np.float32(255.0)
    y = (np.float32(0.299) * f[..., 0]) + (np.float32(0.587) * f[..., 1])
    y = y + (np.float32(0.114) * f[..., 2])
    return y.astype(np.float64)


def ssim_skimage(x, y):
    return structural_similarity(x, y, gaussian_weights=True, sigma=1.5,
                                 use_sample_covariance=False, data_range=1.0)


def gaussian_window():
    """fspecial('gaussian', 11, 1.5)."""
    r = np.arange(-5, 6, dtype=np.float64)
    g = np.exp(-(r ** 2) / (2 * 1.5 ** 2))
    w = np.outer(g, g)
    return w / w.sum()


def ssim_and_cs(x, y):
    """Means of the SSIM and contrast-structure maps over the 'valid' region (ssim_index_new.m)."""
    w = gaussian_window()
    filt = lambda a: signal.correlate2d(a, w, mode="valid")
    mx, my = filt(x), filt(y)
    sxx = filt(x * x) - mx * mx
    syy = filt(y * y) - my * my
    sxy = filt(x * y) - mx * my
    c1, c2 = K1 ** 2, K2 ** 2
    cs = (2 * sxy + c2) / (sxx + syy + c2)
    ssim = ((2 * mx * my + c1) / (mx * mx + my * my + c1)) * cs
    return ssim.mean(), cs.mean()


def ms_downsample(a):
    """imfilter(a, ones(2)/4, 'symmetric', 'same') then a(1:2:end, 1:2:end)."""
    p = np.pad(a, ((0, 1), (0, 1)), mode="symmetric")
    f = (p[:-1, :-1] + p[1:, :-1] + p[:-1, 1:] + p[1:, 1:]) / 4.0
    return f[::2, ::2]


def ms_scale_count(h, w):
    levels = 1
    while levels < 5:
        h, w = (h + 1) // 2, (w + 1) // 2
        if min(h, w) < 11:
            break
        levels += 1
    return levels


def ms_ssim(x, y):
    levels = ms_scale_count(*x.shape)
    weights = MS_WEIGHTS[:levels] / MS_WEIGHTS[:levels].sum()
    result = 1.0
    for level in range(levels):
        ssim, cs = ssim_and_cs(x, y)
        value = ssim if level == levels - 1 else cs
        result *= max(value, 0.0) ** weights[level]
        x, y = ms_downsample(x), ms_downsample(y)
    return result, levels


def conv2_same(a, h):
    """MATLAB conv2(a, h, 'same'): the centre of the full convolution, zero padding."""
    full = signal.convolve2d(a, h, mode="full")
    r0 = int(np.ceil((h.shape[0] - 1) / 2))
    c0 = int(np.ceil((h.shape[1] - 1) / 2))
    return full[r0:r0 + a.shape[0], c0:c0 + a.shape[1]]


def gmsd(x, y):
    ave = np.ones((2, 2)) / 4.0
    x = conv2_same(x, ave)[::2, ::2]
    y = conv2_same(y, ave)[::2, ::2]
    dx = np.array([[1, 0, -1], [1, 0, -1], [1, 0, -1]], dtype=np.float64) / 3.0
    dy = dx.T
    gx = np.sqrt(conv2_same(x, dx) ** 2 + conv2_same(x, dy) ** 2)
    gy = np.sqrt(conv2_same(y, dx) ** 2 + conv2_same(y, dy) ** 2)
    gms = (2 * gx * gy + GMSD_T) / (gx ** 2 + gy ** 2 + GMSD_T)
    return gms.std(ddof=1)


def quantise(rgb):
    return np.clip(np.round(rgb * 255.0), 0, 255).astype(np.uint8)


def make_images():
    """Reference crops and their distorted versions, all uint8 HxWx3, deterministic."""
    astronaut = data.astronaut()
    sets = {
        # 192x176: five MS-SSIM scales (176 -> 88 -> 44 -> 22 -> 11).
        "large": astronaut[40:216, 150:342],
        # 97x75, odd sizes: three MS-SSIM scales (75 -> 38 -> 19 -> 10 stops), odd downsampling.
        "small": astronaut[300:375, 200:297],
    }
    rng = np.random.default_rng(20250617)
    images = {}
    for name, ref in sets.items():
        f = ref.astype(np.float64) / 255.0
        images[f"{name}_ref"] = ref
        images[f"{name}_blur1"] = quantise(ndimage.gaussian_filter(f, sigma=(1.0, 1.0, 0)))
        images[f"{name}_blur3"] = quantise(ndimage.gaussian_filter(f, sigma=(3.0, 3.0, 0)))
        images[f"{name}_noise"] = quantise(f + rng.normal(0.0, 0.06, f.shape))
        if name == "large":
            images[f"{name}_jpeg"] = jpeg(ref, quality=10)
            images[f"{name}_bright"] = quantise(f + 0.15)
    return images


def jpeg(rgb, quality):
    import io
    buf = io.BytesIO()
    Image.fromarray(rgb).save(buf, format="JPEG", quality=quality)
    buf.seek(0)
    return np.asarray(Image.open(buf).convert("RGB"))


def write_ppm(path, rgb):
    h, w, _ = rgb.shape
    with open(path, "wb") as f:
        f.write(f"P6\n{w} {h}\n255\n".encode("ascii"))
        f.write(np.ascontiguousarray(rgb, dtype=np.uint8).tobytes())


def read_ppm(path):
    with open(path, "rb") as f:
        raw = f.read()
    header = raw.split(b"\n", 3)
    w, h = (int(v) for v in header[1].split())
    return np.frombuffer(header[3], dtype=np.uint8).reshape(h, w, 3)


def main():
    if "--write" in sys.argv:
        os.makedirs(DATA_DIR, exist_ok=True)
        for name, rgb in make_images().items():
            write_ppm(os.path.join(DATA_DIR, name + ".ppm"), rgb)
    names = sorted(n[:-4] for n in os.listdir(DATA_DIR) if n.endswith(".ppm"))
    for name in names:
        if name.endswith("_ref"):
            continue
        ref_name = name.split("_")[0] + "_ref"
        x = luma(read_ppm(os.path.join(DATA_DIR, ref_name + ".ppm")))
        y = luma(read_ppm(os.path.join(DATA_DIR, name + ".ppm")))
        s = ssim_skimage(x, y)
        s_own, _ = ssim_and_cs(x, y)
        assert abs(s - s_own) < 1e-12, (name, s, s_own)  # our windowing is skimage's
        ms, levels = ms_ssim(x, y)
        g = gmsd(x, y)
        print(f'[InlineData("{ref_name}", "{name}", {s:.10f}, {ms:.10f}, {g:.10f})] // {levels} MS-SSIM scales')


if __name__ == "__main__":
    main()
