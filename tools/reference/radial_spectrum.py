"""Radially averaged power spectrum slope of images, the reference for docs/pristine.md and the C# spectrum test.

Usage: /usr/bin/python3 tools/reference/radial_spectrum.py FMIN FMAX image.png [image.png ...]
Luma (Rec. 601) minus its mean, Hann window, |FFT|^2, averaged over rings of integer radius (cycles per image),
then the least-squares slope of log power against log frequency for FMIN <= f <= FMAX, per image and pooled.
"""
import sys

import numpy as np
from PIL import Image


def radial_power(path):
    rgb = np.asarray(Image.open(path).convert("RGB"), dtype=np.float64) / 255.0
    luma = rgb @ np.array([0.299, 0.587, 0.114])
    n = luma.shape[0]
    luma = luma - luma.mean()
    window = np.outer(np.hanning(n), np.hanning(n))
    power = np.abs(np.fft.fft2(luma * window)) ** 2
    f = np.fft.fftfreq(n) * n
    radius = np.rint(np.hypot(f[:, None], f[None, :])).astype(int)
    sums = np.bincount(radius.ravel(), power.ravel())
    counts = np.bincount(radius.ravel())
    return sums / np.maximum(counts, 1)


def slope(power, fmin, fmax):
    f = np.arange(fmin, fmax + 1)
    return np.polyfit(np.log(f), np.log(power[fmin:fmax + 1]), 1)[0]


def main():
    fmin, fmax = int(sys.argv[1]), int(sys.argv[2])
    spectra = [radial_power(p) for p in sys.argv[3:]]
    for p, s in zip(sys.argv[3:], spectra):
        print(f"{p}: slope {slope(s, fmin, fmax):.3f}")
    print(f"mean of per-image slopes: {np.mean([slope(s, fmin, fmax) for s in spectra]):.3f}")
    print(f"slope of the pooled spectrum: {slope(np.mean(spectra, axis=0), fmin, fmax):.3f}")


if __name__ == "__main__":
    main()
