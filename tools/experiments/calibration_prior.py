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
from calibration_variants import load, ridge_path, srocc  # noqa: E402
from cntk_torch import read_safetensors  # noqa: E402

POOLED = slice(3968, 3968 + 512)  # BlockFeatureLayout: the last block's channel means


def ridge_k(x, y, k):
    """CalibrationFit's ridge with the standardised base-score column (the last) multiplied by k."""
    scale = np.ones(x.shape[1])
    scale[-1] = k
    errors, at = ridge_path(x, y, scale)
    return at(min(errors, key=lambda e: e[1])[0])


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
