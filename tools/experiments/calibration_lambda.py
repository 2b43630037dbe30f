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
from calibration_variants import LAMBDAS, load, ridge_path, srocc  # noqa: E402


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
        errors, at = ridge_path(x_all[train], y[train])
        scores[d] = [srocc(at(lam)(x_all[test]), y[test]) for lam, _, _ in errors]
        loo.append(scores[d, min(range(len(errors)), key=lambda j: errors[j][1])])
        gcv.append(scores[d, min(range(len(errors)), key=lambda j: errors[j][2])])
    mean = scores.mean(0)
    best = mean.argmax()
    print(f'view {side}, N={n}, {draws} draws: leave-one-out {np.mean(loo):.4f}, GCV {np.mean(gcv):.4f}, '
          f'oracle per draw {scores.max(1).mean():.4f}, best fixed lambda {LAMBDAS[best]:.4g}: {mean[best]:.4f}')


if __name__ == '__main__':
    main()
