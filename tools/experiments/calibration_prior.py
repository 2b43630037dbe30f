#!/usr/bin/python3
"""Calibration with the rank-head default's score (issue 15, part 2): does trusting the base score more than any single
feature help at N = 200? The first look (a fixed k; the gain was 0.005, and the tiny test ensemble's nearly constant
base scores then got huge coefficients). Shipped since as CalibrationOptions.BaseScoreWeights, k chosen by
leave-one-out with a floor on the base scores' spread (tools/experiments/calibration_weights.py, docs/calibration.md).

  calibration_prior.py CURVE_CACHE HEAD_WEIGHTS

CURVE_CACHE: `metaqap calibrate curve --cache` rows of biq2021-dev (block features at 512 + any model's base scores);
HEAD_WEIGHTS: the rank head's model.safetensors (recipe default run, heads/<name>/). The base score is recomputed from
the cached pooled columns, so the cache of another default serves. Fit: CalibrationFit's ridge (lambda by
leave-one-out), with the standardised base-score column multiplied by k (k = 1 is what `metaqap calibrate` does).
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from calibration_variants import LAMBDAS, load, srocc  # noqa: E402
from cntk_torch import read_safetensors  # noqa: E402

POOLED = slice(3968, 3968 + 512)  # BlockFeatureLayout: the last block's channel means


def ridge_k(x, y, k):
    mu, sd = x.mean(0), x.std(0)
    sd[sd < 1e-12] = 1

    def tf(a):
        z = (a - mu) / sd
        z[:, -1] *= k
        return z

    z = tf(x)
    ym, n = y.mean(), len(y)
    yc = y - ym
    kk = z @ z.T
    w, v = np.linalg.eigh(kk)
    w = np.maximum(w, 0)
    best = None
    for lam in LAMBDAS:
        h = (v * (w / (w + lam))) @ v.T
        e = (((yc - h @ yc) / (1 - np.diag(h) - 1 / n)) ** 2).sum()
        if best is None or e < best[0]:
            best = (e, lam)
    beta = z.T @ np.linalg.solve(kk + best[1] * np.eye(n), yc)
    return lambda a: tf(a) @ beta + ym


def main():
    d = load(sys.argv[1])
    w = read_safetensors(sys.argv[2])
    weights = w['quality_head.weight'].numpy().ravel().astype(np.float64)
    bias = float(w['quality_head.bias'].numpy().ravel()[0])
    f, y = d['features'], d['mos']
    base = 100 * (f[:, POOLED] @ weights + bias)
    print(f'rank head alone: SROCC {srocc(base, y):.4f}')
    x = np.hstack([f, base[:, None]])
    for k in [1, 10, 30, np.sqrt(f.shape[1]), 100]:
        scores = []
        for draw in range(5):
            order = np.random.RandomState(1000 + draw).permutation(len(y))
            train, test = order[:200], order[200:]
            scores.append(srocc(ridge_k(x[train], y[train], k)(x[test]), y[test]))
        print(f'N=200, 5 draws, base-score scale {k:.1f}: SROCC {np.mean(scores):.4f} ± {np.std(scores):.4f}', flush=True)


if __name__ == '__main__':
    main()
