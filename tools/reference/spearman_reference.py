"""Reference values for tests/MetaQap.Modeling.Tests/Loss (CI has no Python; the numbers are pasted as literals).

Run with Debian's interpreter, which has numpy and scipy:
    /usr/bin/python3 tools/reference/spearman_reference.py
"""
import scipy
import scipy.stats

# Predictions with one tie (0.50 twice) and targets with one tie (3.0 twice), so average-tie ranking is exercised
# on both sides. Decimal literals are written identically in the C# test.
PREDICTED = [0.12, 0.85, 0.50, 0.33, 0.97, 0.50, 0.05, 0.71, 0.64, 0.28, 0.91, 0.40]
TARGET = [1.0, 4.5, 3.0, 2.5, 4.0, 3.5, 1.5, 3.0, 4.2, 1.2, 4.8, 2.0]

print("scipy", scipy.__version__)
print("rankdata(PREDICTED) =", [float(r) for r in scipy.stats.rankdata(PREDICTED, method="average")])
print("rankdata(TARGET)    =", [float(r) for r in scipy.stats.rankdata(TARGET, method="average")])
print("spearmanr           = %r" % float(scipy.stats.spearmanr(PREDICTED, TARGET).statistic))
