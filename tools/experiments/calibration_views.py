#!/usr/bin/env python3
"""Calibration accuracy at N rated images for each view side whose frozen-trunk features a recipe run cached.

Usage: python3 tools/experiments/calibration_views.py RUN DATASET [N] [DRAWS]

RUN is a `metaqap recipe biq2021` output folder (features/<side>-<side>/chunk-NNN/features.safetensors, rows in
dataset order), DATASET the MOS folder it ran on (its mos.csv gives the targets in the same order). For each cached
view: the ridge fit of `metaqap calibrate` (features only; tools/experiments/calibration_variants.py shows the
base scores of models/default add nothing) on N random rows, scored on the rest, over seeded draws.
"""
import csv
import glob
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from calibration_variants import load, ridge, srocc  # noqa: E402


def main():
    run, dataset = sys.argv[1], sys.argv[2]
    n_fit = int(sys.argv[3]) if len(sys.argv) > 3 else 200
    draws = int(sys.argv[4]) if len(sys.argv) > 4 else 20
    with open(os.path.join(dataset, 'mos.csv'), newline='') as f:
        y = np.array([float(row['mos']) for row in csv.DictReader(f)])
    for view in sorted(glob.glob(os.path.join(run, 'features', '*-*')), key=lambda p: int(os.path.basename(p).split('-')[0])):
        chunks = sorted(glob.glob(os.path.join(view, 'chunk-*', 'features.safetensors')))
        x = np.concatenate([load(c)['features'] for c in chunks]) if chunks else np.zeros((0, 0))
        if len(x) != len(y):
            print(f'{os.path.basename(view)}: {len(x)} rows cached of {len(y)}, skipped')
            continue
        scores = []
        for d in range(draws):
            order = np.random.RandomState(1000 + d).permutation(len(y))
            train, test = order[:n_fit], order[n_fit:]
            scores.append(srocc(ridge(x[train], y[train])(x[test]), y[test]))
        print(f'view {os.path.basename(view)}: N={n_fit}, {draws} draws, SROCC {np.mean(scores):.4f} ± {np.std(scores):.4f}', flush=True)


if __name__ == '__main__':
    main()
