namespace MetaQap.Modeling.Evaluation;

/// <summary>
/// Agreement statistics between predicted scores and subjective scores (MOS), matching scipy.stats.
/// </summary>
/// <remarks>
/// Every method requires two finite vectors of the same length n ≥ 3 and throws <see cref="ArgumentException"/>
/// otherwise. A correlation of a constant vector is undefined: like scipy, the correlations return
/// <see cref="double.NaN"/> when either input is constant (all values equal), so a collapsed model shows up in a
/// report instead of aborting an evaluation run.
/// </remarks>
public static class Correlation
{
    /// <summary>Pearson linear correlation coefficient (scipy.stats.pearsonr).</summary>
    public static double Plcc(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        Validate(x, y);
        double meanX = Mean(x);
        double meanY = Mean(y);
        double sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double dx = x[i] - meanX;
            double dy = y[i] - meanY;
            sxy += dx * dy;
            sxx += dx * dx;
            syy += dy * dy;
        }

        if (sxx == 0 || syy == 0)
        {
            return double.NaN;
        }

        // Rounding can push |r| a hair above 1 for (anti)collinear inputs.
        return Math.Clamp(sxy / Math.Sqrt(sxx * syy), -1.0, 1.0);
    }

    /// <summary>Spearman rank correlation with average ranks for ties (scipy.stats.spearmanr).</summary>
    public static double Srocc(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        Validate(x, y);
        return Plcc(Ranks(x), Ranks(y));
    }

    /// <summary>
    /// Kendall's tau-b (scipy.stats.kendalltau), in O(n log n) by Knight's algorithm: sort by (x, y), count
    /// ties, then count discordant pairs as the swaps of a merge sort on y.
    /// </summary>
    public static double Krocc(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        Validate(x, y);
        int n = x.Length;
        var order = new int[n];
        for (int i = 0; i < n; i++)
        {
            order[i] = i;
        }

        double[] xs = x.ToArray();
        double[] ys = y.ToArray();
        Array.Sort(order, (a, b) =>
        {
            int c = xs[a].CompareTo(xs[b]);
            return c != 0 ? c : ys[a].CompareTo(ys[b]);
        });

        var sortedX = new double[n];
        var sortedY = new double[n];
        for (int i = 0; i < n; i++)
        {
            sortedX[i] = xs[order[i]];
            sortedY[i] = ys[order[i]];
        }

        long xTies = TiedPairs(sortedX, null);
        long jointTies = TiedPairs(sortedX, sortedY);
        long discordant = MergeSortCountingSwaps(sortedY, new double[n], 0, n);
        long yTies = TiedPairs(sortedY, null);

        long total = (long)n * (n - 1) / 2;
        if (xTies == total || yTies == total)
        {
            return double.NaN;
        }

        double concordantMinusDiscordant = total - xTies - yTies + jointTies - (2.0 * discordant);
        double tau = concordantMinusDiscordant / Math.Sqrt((double)(total - xTies)) / Math.Sqrt((double)(total - yTies));
        return Math.Clamp(tau, -1.0, 1.0);
    }

    /// <summary>Root mean squared difference, on the scale of the inputs (no mapping).</summary>
    public static double Rmse(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        Validate(x, y);
        double sum = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double d = x[i] - y[i];
            sum += d * d;
        }

        return Math.Sqrt(sum / x.Length);
    }

    /// <summary>1-based ranks, ties receiving the average of the ranks they span (scipy.stats.rankdata).</summary>
    public static double[] Ranks(ReadOnlySpan<double> x)
    {
        int n = x.Length;
        double[] values = x.ToArray();
        var order = new int[n];
        for (int i = 0; i < n; i++)
        {
            if (!double.IsFinite(values[i]))
            {
                throw new ArgumentException("Values must be finite.", nameof(x));
            }

            order[i] = i;
        }

        double[] keys = (double[])values.Clone();
        Array.Sort(keys, order);

        var ranks = new double[n];
        int start = 0;
        while (start < n)
        {
            int end = start + 1;
            while (end < n && keys[end] == keys[start])
            {
                end++;
            }

            // Positions start..end-1 hold equal values: ranks start+1..end, average (start + 1 + end) / 2.
            double rank = (start + 1 + end) / 2.0;
            for (int k = start; k < end; k++)
            {
                ranks[order[k]] = rank;
            }

            start = end;
        }

        return ranks;
    }

    internal static double Mean(ReadOnlySpan<double> x)
    {
        double sum = 0;
        foreach (double v in x)
        {
            sum += v;
        }

        return sum / x.Length;
    }

    internal static void Validate(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        if (x.Length != y.Length)
        {
            throw new ArgumentException($"Length mismatch: {x.Length} predictions but {y.Length} targets.", nameof(y));
        }

        if (x.Length < 3)
        {
            throw new ArgumentException($"At least 3 pairs are required, got {x.Length}.", nameof(x));
        }

        for (int i = 0; i < x.Length; i++)
        {
            if (!double.IsFinite(x[i]) || !double.IsFinite(y[i]))
            {
                throw new ArgumentException($"Values must be finite (pair {i} is not).", nameof(x));
            }
        }
    }

    /// <summary>Pairs tied on <paramref name="a"/> (and on <paramref name="b"/> too when given) in sorted data.</summary>
    private static long TiedPairs(double[] a, double[]? b)
    {
        long pairs = 0;
        long run = 1;
        for (int i = 1; i < a.Length; i++)
        {
            bool tied = a[i] == a[i - 1] && (b is null || b[i] == b[i - 1]);
            if (tied)
            {
                run++;
            }
            else
            {
                pairs += run * (run - 1) / 2;
                run = 1;
            }
        }

        return pairs + (run * (run - 1) / 2);
    }

    /// <summary>
    /// Sorts values[lo..hi) ascending and returns how many pairs were out of order (strictly greater before
    /// smaller); equal values are not counted, which is what makes tied-y pairs neither concordant nor discordant.
    /// </summary>
    private static long MergeSortCountingSwaps(double[] values, double[] scratch, int lo, int hi)
    {
        if (hi - lo < 2)
        {
            return 0;
        }

        int mid = lo + ((hi - lo) / 2);
        long swaps = MergeSortCountingSwaps(values, scratch, lo, mid) + MergeSortCountingSwaps(values, scratch, mid, hi);

        int left = lo, right = mid, k = lo;
        while (left < mid && right < hi)
        {
            if (values[right] < values[left])
            {
                // values[right] jumps ahead of every remaining left element.
                swaps += mid - left;
                scratch[k++] = values[right++];
            }
            else
            {
                scratch[k++] = values[left++];
            }
        }

        while (left < mid)
        {
            scratch[k++] = values[left++];
        }

        while (right < hi)
        {
            scratch[k++] = values[right++];
        }

        Array.Copy(scratch, lo, values, lo, hi - lo);
        return swaps;
    }
}
