#!/usr/bin/python3
"""Reference values for MetaQap.Modeling.Meta tests (incomplete beta, F distribution, stepwise OLS).

Special functions are printed twice: scipy, and mpmath at 40 digits. For large shape parameters scipy 1.10's
betaln (cephes lbeta = lgam(a) + lgam(b) - lgam(a+b)) loses ~1e-11 to cancellation, and betainc inherits it,
so the C# tests use the mpmath column as the exact value (scipy agrees with it to ~1e-9 relative or better).

Run with Debian's python3 (numpy 1.24, scipy 1.10):  /usr/bin/python3 tools/reference/meta_stepwise.py
The printed numbers are pasted into tests/MetaQap.Modeling.Tests/Meta/*Tests.cs as literals.
"""
import mpmath
import numpy as np
from scipy import special, stats

BETAINC = [  # (a, b, x)
    (0.5, 0.5, 0.3), (2.0, 3.0, 0.4), (5.0, 0.5, 0.9), (0.5, 5.0, 0.01), (10.0, 10.0, 0.5),
    (30.0, 0.5, 0.2), (2500.0, 0.5, 0.999), (50000.0, 0.5, 0.9999), (0.5, 50000.0, 1e-5), (1.0, 1.0, 0.77),
]
F_SF = [  # (F, d1, d2)
    (0.5, 1, 10), (3.0, 1, 20), (4.0, 2, 30), (10.0, 1, 100), (0.01, 1, 5), (50.0, 1, 1000),
    (3.85, 1, 99998), (200.0, 1, 50), (1.0, 3, 3),
]
BETALN = [(0.5, 50000.0), (2.5, 12.0), (30.0, 45.0), (10000.0, 30000.0), (3.0, 4.0)]
GAMMALN = [0.5, 1.0, 1.5, 2.5, 7.3, 33.0, 1234.5, 50000.0]

# Fixed small regression case (drawn once with numpy default_rng(11), rounded to 3 decimals):
# y = 1 + 2*x - 3*z + noise.
X = [0.034, 1.36, 1.225, -0.51, -0.298, -0.527, 0.57, -0.056, 0.747, -1.847, 1.567, -0.096]
Z = [0.68, -0.137, -0.379, 0.463, 0.825, -0.203, -0.153, 0.686, -0.87, -1.514, 0.395, -0.671]
Y = [-1.548, 3.887, 4.447, -1.767, -2.519, 0.566, 2.868, -1.24, 4.881, 1.963, 3.164, 2.731]


# Hald cement data (Draper & Smith; MATLAB's hald.mat): x1..x4 ingredient percentages, y heat evolved.
HALD = [
    [7, 26, 6, 60, 78.5], [1, 29, 15, 52, 74.3], [11, 56, 8, 20, 104.3], [11, 31, 8, 47, 87.6],
    [7, 52, 6, 33, 95.9], [11, 55, 9, 22, 109.2], [3, 71, 17, 6, 102.7], [1, 31, 22, 44, 72.5],
    [2, 54, 18, 22, 93.1], [21, 47, 4, 26, 115.9], [1, 40, 23, 34, 83.8], [11, 66, 9, 12, 113.3],
    [10, 68, 8, 12, 109.4],
]

mpmath.mp.dps = 40


def exact_betainc(a, b, x):
    return float(mpmath.betainc(a, b, 0, x, regularized=True))


def exact_f_sf(f, d1, d2):
    f = mpmath.mpf(f)
    return float(mpmath.betainc(mpmath.mpf(d2) / 2, mpmath.mpf(d1) / 2, 0, d2 / (d2 + d1 * f), regularized=True))


def rss(columns, y):
    a = np.column_stack([np.ones(len(y))] + columns)
    coef, *_ = np.linalg.lstsq(a, y, rcond=None)
    r = y - a @ coef
    return float(r @ r), coef


def stepwise(x, y, names, p_enter, p_remove):
    """Plain re-implementation of the forward/backward partial-F search (no |beta| rule), for comparison."""
    n = len(y)
    included, path = [], []
    while True:
        base = rss([x[:, j] for j in included], y)[0]
        df = n - len(included) - 2
        best = None
        for j in range(x.shape[1]):
            if j in included:
                continue
            r = rss([x[:, k] for k in included + [j]], y)[0]
            p = stats.f.sf((base - r) / (r / df), 1, df)
            if best is None or p < best[1]:
                best = (j, p)
        if best is None or best[1] >= p_enter:
            return included, path
        included.append(best[0])
        path.append(("enter", names[best[0]], best[1]))
        while True:
            full = rss([x[:, k] for k in included], y)[0]
            df = n - len(included) - 1
            worst = None
            for j in included:
                r = rss([x[:, k] for k in included if k != j], y)[0]
                p = stats.f.sf((r - full) / (full / df), 1, df)
                if worst is None or p > worst[1]:
                    worst = (j, p)
            if worst[1] <= p_remove:
                break
            included.remove(worst[0])
            path.append(("remove", names[worst[0]], worst[1]))


def main():
    print("[betainc]  scipy.special.betainc(a, b, x) | mpmath")
    for a, b, x in BETAINC:
        print(f"  ({a!r}, {b!r}, {x!r}) -> {special.betainc(a, b, x)!r} | {exact_betainc(a, b, x)!r}")
    print("[f.sf]  scipy.stats.f.sf(F, d1, d2) | mpmath I_{d2/(d2+d1 F)}(d2/2, d1/2)")
    for f, d1, d2 in F_SF:
        print(f"  ({f!r}, {d1!r}, {d2!r}) -> {stats.f.sf(f, d1, d2)!r} | {exact_f_sf(f, d1, d2)!r}")
    print("[gammaln]  scipy | mpmath")
    for v in GAMMALN:
        print(f"  {v!r} -> {special.gammaln(v)!r} | {float(mpmath.loggamma(v))!r}")
    print("[betaln]  scipy | mpmath")
    for a, b in BETALN:
        print(f"  ({a!r}, {b!r}) -> {special.betaln(a, b)!r} | {float(mpmath.log(mpmath.beta(a, b)))!r}")

    x, z, y = (np.asarray(v) for v in (X, Z, Y))
    n = len(y)
    print("[lstsq]  numpy.linalg.lstsq on [1, x, z]")
    full_rss, coef = rss([x, z], y)
    print(f"  intercept, bx, bz = {list(coef)!r}")
    rss0 = float(((y - y.mean()) ** 2).sum())
    print("[first entry]  partial F-test of each predictor alone vs intercept only (= linregress p)")
    for name, col in (("x", x), ("z", z)):
        r1, _ = rss([col], y)
        f = (rss0 - r1) / (r1 / (n - 2))
        print(f"  {name}: F = {f!r}  p = {stats.f.sf(f, 1, n - 2)!r}  linregress p = {stats.linregress(col, y).pvalue!r}")
    print("[second entry]  partial F-test of adding the other predictor")
    for name, first, second in (("z after x", x, z), ("x after z", z, x)):
        r1, _ = rss([first], y)
        f = (r1 - full_rss) / (full_rss / (n - 3))
        print(f"  {name}: F = {f!r}  p = {stats.f.sf(f, 1, n - 3)!r}")

    hald = np.asarray(HALD, dtype=float)
    for p_enter in (0.05, 0.06):
        included, path = stepwise(hald[:, :4], hald[:, 4], ["x1", "x2", "x3", "x4"], p_enter, 0.10)
        print(f"[hald stepwise p_enter={p_enter}, p_remove=0.10]")
        for action, name, p in path:
            print(f"  {action} {name} p = {p!r}")
        cols = sorted(included)
        print(f"  final {[f'x{j + 1}' for j in cols]}: lstsq = {list(rss([hald[:, j] for j in cols], hald[:, 4])[1])!r}")


if __name__ == "__main__":
    main()
