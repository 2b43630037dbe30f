#!/usr/bin/env python3
"""Calibration at N rated images from several view sides at once: the frozen trunk's features of two or four views
concatenated into one ridge, or the mean of one ridge per view, against the 512 view alone.

Usage: python3 tools/experiments/calibration_multiview.py RUN DATASET [N] [DRAWS]

RUN: a recipe run with feature caches at 224, 320, 384 and 512 (configs/biq2021-views.json); DATASET its MOS folder.
Draws, fits and scoring as in calibration_views.py.
"""
import csv
import glob
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from calibration_variants import load, ridge, srocc  # noqa: E402

# Each variant: groups of views; the views of a group are concatenated into one ridge, the groups' predictions averaged.
VARIANTS = {
    '512': [[512]],
    '512+384 concat': [[512, 384]],
    '512+320 concat': [[512, 320]],
    'all concat': [[224, 320, 384, 512]],
    'mean(512,384)': [[512], [384]],
    'mean(512,320)': [[512], [320]],
    'mean(all)': [[224], [320], [384], [512]],
}


def main():
    run, dataset = sys.argv[1], sys.argv[2]
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 200
    draws = int(sys.argv[4]) if len(sys.argv) > 4 else 20
    with open(os.path.join(dataset, 'mos.csv'), newline='') as f:
        y = np.array([float(row['mos']) for row in csv.DictReader(f)])
    views = {}
    for side in (224, 320, 384, 512):
        chunks = sorted(glob.glob(os.path.join(run, 'features', f'{side}-{side}', 'chunk-*', 'features.safetensors')))
        views[side] = np.concatenate([load(c)['features'] for c in chunks])
    for name, groups in VARIANTS.items():
        inputs = [np.concatenate([views[side] for side in group], axis=1) for group in groups]
        scores = []
        for d in range(draws):
            order = np.random.RandomState(1000 + d).permutation(len(y))
            train, test = order[:n], order[n:]
            predictions = [ridge(x[train], y[train])(x[test]) for x in inputs]
            scores.append(srocc(np.mean(predictions, axis=0), y[test]))
        print(f'{name}: N={n} {draws} draws SROCC {np.mean(scores):.4f} ± {np.std(scores):.4f}', flush=True)


if __name__ == '__main__':
    main()
