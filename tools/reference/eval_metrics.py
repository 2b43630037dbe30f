#!/usr/bin/python3
"""Reference values for MetaQap.Modeling.Evaluation tests (Correlation, LogisticMapping).

Run with Debian's python3 (numpy 1.24, scipy 1.10):  /usr/bin/python3 tools/reference/eval_metrics.py
The printed numbers are pasted into tests/MetaQap.Modeling.Tests/Evaluation/*Tests.cs as literals.
"""
import numpy as np
from scipy import optimize, stats

VECTORS = {
    # no ties
    "distinct": (
        [1.2, 2.4, 3.1, 4.8, 5.0, 6.7, 7.3, 8.8, 9.1, 10.5],
        [2.0, 1.9, 3.5, 4.1, 6.2, 5.9, 7.7, 8.0, 9.9, 9.5],
    ),
    # ties in x, in y and joint ties (x=2,y=2 twice; x=3,y=3 twice)
    "ties": (
        [1, 2, 2, 3, 3, 3, 4, 5, 5, 6, 7, 7],
        [2, 1, 2, 3, 5, 3, 4, 4, 6, 6, 7, 8],
    ),
    # negative association with heavy ties
    "negative_ties": (
        [5, 5, 4, 4, 4, 3, 3, 2, 1, 1],
        [1.5, 2.5, 2.5, 2.5, 4.0, 3.0, 5.0, 5.0, 4.0, 6.0],
    ),
}

# 24 predictions and MOS drawn once from a logistic curve plus noise (numpy default_rng(7)), rounded to 3 decimals.
LOGISTIC_PRED = [0.005, 0.044, 0.16, 0.215, 0.225, 0.255, 0.278, 0.3, 0.303, 0.445, 0.468, 0.505,
                 0.553, 0.613, 0.622, 0.625, 0.776, 0.793, 0.797, 0.821, 0.874, 0.897, 0.989, 0.996]
LOGISTIC_MOS = [1.081, 1.011, 0.52, 1.096, 1.238, 1.344, 0.993, 1.323, 1.208, 1.975, 2.607, 2.427,
                3.017, 3.734, 3.437, 3.577, 4.5, 4.55, 4.241, 4.641, 5.088, 4.403, 5.114, 4.935]


def logistic4(x, b1, b2, b3, b4):
    return (b1 - b2) / (1.0 + np.exp(-(x - b3) / np.abs(b4))) + b2


def main():
    for name, (x, y) in VECTORS.items():
        x = np.asarray(x, dtype=float)
        y = np.asarray(y, dtype=float)
        print(f"[{name}]")
        print(f"  pearsonr   = {stats.pearsonr(x, y)[0]!r}")
        print(f"  spearmanr  = {stats.spearmanr(x, y)[0]!r}")
        print(f"  kendalltau = {stats.kendalltau(x, y, variant='b')[0]!r}")
        print(f"  rmse       = {float(np.sqrt(np.mean((x - y) ** 2)))!r}")
        print(f"  rankdata x = {list(stats.rankdata(x))}")

    p = np.asarray(LOGISTIC_PRED)
    m = np.asarray(LOGISTIC_MOS)
    p0 = [m.max(), m.min(), p.mean(), p.std()]
    # Tight tolerances: the defaults (1.49e-8) stop MINPACK about 1e-6 short of the optimum in beta1.
    beta, _ = optimize.curve_fit(logistic4, p, m, p0=p0, maxfev=20000, ftol=1e-15, xtol=1e-15, gtol=1e-15)
    mapped = logistic4(p, *beta)
    print("[logistic]")
    print(f"  p0         = {p0!r}")
    print(f"  beta       = {list(beta)!r}")
    print(f"  sse        = {float(np.sum((mapped - m) ** 2))!r}")
    print(f"  plcc raw   = {stats.pearsonr(p, m)[0]!r}")
    print(f"  plcc map   = {stats.pearsonr(mapped, m)[0]!r}")
    print(f"  f(0.5)     = {float(logistic4(0.5, *beta))!r}")


if __name__ == "__main__":
    main()
