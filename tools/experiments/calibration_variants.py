#!/usr/bin/env python3
"""Variants of the calibration fit on the rows `metaqap calibrate curve --cache FILE` measured.

Usage: python3 tools/experiments/calibration_variants.py FILE [N] [DRAWS]

Re-implements the fit of CalibrationFit (ridge on standardised columns, lambda by leave-one-out among quarter
decades 10..1e6) in numpy and compares feature variants at N rated images over seeded random draws, each scored on
all the other rows (docs/calibration.md). Needs python3-numpy only.
"""
import json
import struct
import sys

import numpy as np


def load(path):
    with open(path, 'rb') as f:
        n = struct.unpack('<Q', f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for key, meta in header.items():
        if key == '__metadata__':
            continue
        lo, hi = meta['data_offsets']
        dtype = {'F32': np.float32, 'F64': np.float64}[meta['dtype']]
        out[key] = np.frombuffer(data[lo:hi], dtype=dtype).reshape(meta['shape']).astype(np.float64)
    return out


def srocc(a, b):
    return np.corrcoef(np.argsort(np.argsort(a)), np.argsort(np.argsort(b)))[0, 1]


LAMBDAS = [round(10 * 10 ** (k / 4), 1) for k in range(21)]


def ridge_path(x, y, scale=None):
    """The ridge on standardised columns along LAMBDAS: per lambda (lambda, leave-one-out error, GCV error), and a
    function that fits the ridge at a lambda (a predictor of new rows). With `scale`, the standardised columns are
    multiplied by it (column j's penalty lambda / scale_j^2), as RidgeRegression's column scales do."""
    mu, sd = x.mean(0), x.std(0)
    sd[sd < 1e-12] = 1
    if scale is not None:
        sd = sd / scale
    z = (x - mu) / sd
    ym = y.mean()
    yc = y - ym
    n = len(y)
    k = z @ z.T
    w, v = np.linalg.eigh(k)
    w = np.maximum(w, 0)
    errors = []
    for lam in LAMBDAS:
        h = (v * (w / (w + lam))) @ v.T
        fit = yc - h @ yc
        errors.append((lam, ((fit / (1 - np.diag(h) - 1 / n)) ** 2).sum(), (fit ** 2).sum() / (1 - (np.trace(h) + 1) / n) ** 2))

    def at(lam):
        beta = z.T @ np.linalg.solve(k + lam * np.eye(n), yc)
        return lambda xt: ((xt - mu) / sd) @ beta + ym

    return errors, at


def ridge(x, y):
    """The fit of CalibrationFit: lambda by leave-one-out (the first of equal errors)."""
    errors, at = ridge_path(x, y)
    return at(min(errors, key=lambda e: e[1])[0])


def rbf_ridge(x, y, xt):
    mu, sd = x.mean(0), x.std(0)
    sd[sd < 1e-12] = 1
    z, zt = (x - mu) / sd, (xt - mu) / sd
    sq = (z ** 2).sum(1)
    d = sq[:, None] + sq[None, :] - 2 * z @ z.T
    scale = np.median(d)
    k = np.exp(-d / scale)
    ym = y.mean()
    yc = y - ym
    w, v = np.linalg.eigh(k)
    best = None
    for lam in [1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3, 1, 3]:
        h = (v * (w / (w + lam))) @ v.T
        error = (((yc - h @ yc) / (1 - np.diag(h))) ** 2).sum()
        if best is None or error < best[0]:
            best = (error, lam)
    a = np.linalg.solve(k + best[1] * np.eye(len(y)), yc)
    dt = (zt ** 2).sum(1)[:, None] + sq[None, :] - 2 * zt @ z.T
    return np.exp(-dt / scale) @ a + ym


def main():
    rows = load(sys.argv[1])
    n_fit = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    draws = int(sys.argv[3]) if len(sys.argv) > 3 else 20
    f, b, y = rows['features'], rows['base_scores'], rows['mos']
    print('base models alone, SROCC:', [round(srocc(b[:, j], y), 3) for j in range(b.shape[1])])
    # Column layout of the block features (BlockFeatureLayout): per map (stem, blocks 1-9) its channel means, then stds.
    channels = [64, 64, 64, 128, 128, 256, 256, 512, 512, 512]
    offsets = np.cumsum([0] + [2 * c for c in channels])
    stages = np.concatenate([np.arange(offsets[m], offsets[m + 1]) for m in (2, 4, 6, 9)])
    variants = {
        'features + base scores (what calibrate fits)': lambda tr, te: ridge(np.hstack([f, b])[tr], y[tr])(np.hstack([f, b])[te]),
        'features only': lambda tr, te: ridge(f[tr], y[tr])(f[te]),
        'the four stage outputs only (resnet18_cntk_ms)': lambda tr, te: ridge(f[tr][:, stages], y[tr])(f[te][:, stages]),
        'square-rooted features + base scores': lambda tr, te: ridge(np.hstack([np.sqrt(np.maximum(f, 0)), b])[tr], y[tr])(np.hstack([np.sqrt(np.maximum(f, 0)), b])[te]),
        'log features': lambda tr, te: ridge(np.log(np.maximum(f, 0) + 1e-2)[tr], y[tr])(np.log(np.maximum(f, 0) + 1e-2)[te]),
        'RBF kernel ridge on features': lambda tr, te: rbf_ridge(f[tr], y[tr], f[te]),
    }
    for name, run in variants.items():
        scores = []
        for d in range(draws):
            order = np.random.RandomState(1000 + d).permutation(len(y))
            train, test = order[:n_fit], order[n_fit:]
            scores.append(srocc(run(train, test), y[test]))
        print(f'N={n_fit}, {draws} draws, {name}: SROCC {np.mean(scores):.4f} ± {np.std(scores):.4f}', flush=True)


if __name__ == '__main__':
    main()
