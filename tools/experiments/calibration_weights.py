#!/usr/bin/env python3
"""Column weights of the calibration fit (issue 15, part 2), on the rows `metaqap calibrate curve --cache FILE` kept.

Usage: python3 tools/experiments/calibration_weights.py FILE [N] [DRAWS]

The fit of CalibrationFit in numpy: ridge on standardised columns, each column multiplied by a weight, lambda (and,
where several weight vectors are given, the weights too) chosen by leave-one-out on the N training rows; scored by
SROCC on all the other rows; seeded draws (1000 + d). Variants: even weights (the fit before this experiment), each
trunk statistic (a map's channel means, or its stds) weighted 1/sqrt(channels) so it counts the same in total, and
the base-score column weighted k (fixed, or chosen by leave-one-out as `metaqap calibrate` does). Needs numpy only.
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from calibration_variants import load, ridge_path, srocc  # noqa: E402

CHANNELS = [64, 64, 64, 128, 128, 256, 256, 512, 512, 512]  # ResNetCntk.BlockChannels: stem, nine blocks
BASE_WEIGHTS = [1, 3, 10, 30, 100]  # CalibrationOptions.BaseScoreWeights


def fit(x, y, candidates):
    """Ridge with the (weights, lambda) pair of lowest leave-one-out error; returns a predictor and the pair's index."""
    best = None
    for c, scale in enumerate(candidates):
        errors, at = ridge_path(x, y, scale)
        lam, error, _ = min(errors, key=lambda e: e[1])
        if best is None or error < best[0]:
            best = (error, c, lam, at)
    _, c, lam, at = best
    return at(lam), c


def weights(features, base_count, equalise, k, base_spread):
    sizes = np.concatenate([[c] * (2 * c) for c in CHANNELS]).astype(float)
    s = 1 / np.sqrt(sizes) if equalise else np.ones(features)
    s = s / np.sqrt((s ** 2).mean())
    damping = np.minimum(1, base_spread / 1.0)  # CalibrationFit.BaseScoreSpreadFloor, 1 score point
    return np.concatenate([s, k * damping[:base_count]])


def main():
    d = load(sys.argv[1])
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    draws = int(sys.argv[3]) if len(sys.argv) > 3 else 20
    f, y, b = d['features'], d['mos'], d['base_scores']
    x = np.hstack([f, b])
    F, B = f.shape[1], b.shape[1]
    variants = {
        'even weights, base k=1 (before)': lambda spread: [weights(F, B, False, 1, spread)],
        'statistics equalised, k=1': lambda spread: [weights(F, B, True, 1, spread)],
        'even weights, k by leave-one-out': lambda spread: [weights(F, B, False, k, spread) for k in BASE_WEIGHTS],
        'statistics equalised, k=10': lambda spread: [weights(F, B, True, 10, spread)],
        'statistics equalised, k by leave-one-out (calibrate)': lambda spread: [weights(F, B, True, k, spread) for k in BASE_WEIGHTS],
    }
    print(f'N = {n}, {draws} draws, scored on the other {len(y) - n} rows')
    for name, make in variants.items():
        scores, picks = [], []
        for draw in range(draws):
            order = np.random.RandomState(1000 + draw).permutation(len(y))
            train, test = order[:n], order[n:]
            predict, chosen = fit(x[train], y[train], make(b[train].std(0)))
            picks.append(chosen)
            scores.append(srocc(predict(x[test]), y[test]))
        chosen = np.bincount(picks, minlength=len(BASE_WEIGHTS)).tolist() if len(make(b.std(0))) > 1 else '-'
        print(f'{name:55s} SROCC {np.mean(scores):.4f} ± {np.std(scores):.4f}   k chosen {chosen}', flush=True)


if __name__ == '__main__':
    main()
