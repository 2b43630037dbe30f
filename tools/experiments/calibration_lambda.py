#!/usr/bin/env python3
"""How much calibration at N rated images could gain from a better choice of the ridge's lambda.

Usage: python3 tools/experiments/calibration_lambda.py RUN DATASET [N] [DRAWS] [SIDE]

RUN and DATASET as for calibration_views.py (a recipe run's cached frozen-trunk features, SIDE 512 by default). For
each seeded draw of N rows: the test-set SROCC of the ridge at every lambda of the grid; printed are the lambda that
leave-one-out picks (what `metaqap calibrate` does), generalised cross-validation's pick, the oracle (the best lambda
per draw, chosen on the test set: an upper bound, not a method) and the best single lambda over all draws.
"""
import csv
import glob
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from calibration_variants import LAMBDAS, load, srocc  # noqa: E402


def main():
    run, dataset = sys.argv[1], sys.argv[2]
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 200
    draws = int(sys.argv[4]) if len(sys.argv) > 4 else 20
    side = int(sys.argv[5]) if len(sys.argv) > 5 else 512
    with open(os.path.join(dataset, 'mos.csv'), newline='') as f:
        y = np.array([float(row['mos']) for row in csv.DictReader(f)])
    chunks = sorted(glob.glob(os.path.join(run, 'features', f'{side}-{side}', 'chunk-*', 'features.safetensors')))
    x_all = np.concatenate([load(c)['features'] for c in chunks])
    scores = np.zeros((draws, len(LAMBDAS)))
    loo, gcv = [], []
    for d in range(draws):
        order = np.random.RandomState(1000 + d).permutation(len(y))
        train, test = order[:n], order[n:]
        x = x_all[train]
        mu, sd = x.mean(0), x.std(0)
        sd[sd < 1e-12] = 1
        z, zt = (x - mu) / sd, (x_all[test] - mu) / sd
        ym = y[train].mean()
        yc = y[train] - ym
        w, v = np.linalg.eigh(z @ z.T)
        w = np.maximum(w, 0)
        best_loo = best_gcv = None
        for j, lam in enumerate(LAMBDAS):
            h = (v * (w / (w + lam))) @ v.T
            fit = yc - h @ yc
            e_loo = ((fit / (1 - np.diag(h) - 1 / n)) ** 2).sum()
            e_gcv = (fit ** 2).sum() / (1 - (np.trace(h) + 1) / n) ** 2
            alpha = v @ ((v.T @ yc) / (w + lam))
            scores[d, j] = srocc(zt @ (z.T @ alpha) + ym, y[test])
            if best_loo is None or e_loo < best_loo[0]:
                best_loo = (e_loo, j)
            if best_gcv is None or e_gcv < best_gcv[0]:
                best_gcv = (e_gcv, j)
        loo.append(scores[d, best_loo[1]])
        gcv.append(scores[d, best_gcv[1]])
    mean = scores.mean(0)
    best = mean.argmax()
    print(f'view {side}, N={n}, {draws} draws: leave-one-out {np.mean(loo):.4f}, GCV {np.mean(gcv):.4f}, '
          f'oracle per draw {scores.max(1).mean():.4f}, best fixed lambda {LAMBDAS[best]:.4g}: {mean[best]:.4f}')


if __name__ == '__main__':
    main()
