namespace MetaQap.Imaging.Distortions.Support;

/// <summary>
/// Multi-level Otsu thresholds (MATLAB multithresh): the cut points of a 256-bin histogram that maximise the
/// between-class variance, found exactly by dynamic programming over contiguous bin ranges.
/// </summary>
internal static class MultiLevelOtsu
{
    private const int Bins = 256;

    /// <summary>
    /// Thresholds (ascending, in sample units) for <paramref name="count"/> thresholds. As in multithresh, the
    /// histogram spans the data's [min, max] and a threshold is the centre of the last bin of the lower class.
    /// </summary>
    public static float[] Thresholds(ReadOnlySpan<float> samples, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Bins - 1);
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        foreach (float v in samples)
        {
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }

        var thresholds = new float[count];
        if (!(max > min))
        {
            // Nothing to separate: every threshold sits on the single value, so all samples fall in class 1.
            Array.Fill(thresholds, min);
            return thresholds;
        }

        // Prefix sums of weight, first and second moment of the bin index.
        var w = new double[Bins + 1];
        var m1 = new double[Bins + 1];
        var m2 = new double[Bins + 1];
        var histogram = new long[Bins];
        float scale = (Bins - 1) / (max - min);
        foreach (float v in samples)
        {
            histogram[(int)MathF.Round((v - min) * scale)]++;
        }

        for (int b = 0; b < Bins; b++)
        {
            w[b + 1] = w[b] + histogram[b];
            m1[b + 1] = m1[b] + ((double)histogram[b] * b);
            m2[b + 1] = m2[b] + ((double)histogram[b] * b * b);
        }

        int[] lastBins = OptimalClassEnds(w, m1, m2, count + 1);
        for (int k = 0; k < count; k++)
        {
            thresholds[k] = min + (lastBins[k] / scale);
        }

        return thresholds;
    }

    /// <summary>
    /// Last bin of each class but the final one, minimising the summed within-class squared deviation. The best
    /// start of the last class never moves left as the range grows (the cost is a 1-D k-means cost), so each DP
    /// row is filled by divide and conquer in O(bins log bins) instead of O(bins^2).
    /// </summary>
    private static int[] OptimalClassEnds(double[] w, double[] m1, double[] m2, int classes)
    {
        // cost[k, j]: best cost of splitting bins 0..j into k+1 classes; from[k, j]: first bin of the last class.
        var cost = new double[classes, Bins];
        var from = new int[classes, Bins];
        for (int j = 0; j < Bins; j++)
        {
            cost[0, j] = Within(w, m1, m2, 0, j);
        }

        for (int k = 1; k < classes; k++)
        {
            FillRow(k, k, Bins - 1, k, Bins - 1, w, m1, m2, cost, from);
        }

        var ends = new int[classes - 1];
        int end = Bins - 1;
        for (int k = classes - 1; k > 0; k--)
        {
            int start = from[k, end];
            ends[k - 1] = start - 1;
            end = start - 1;
        }

        return ends;
    }

    private static void FillRow(int k, int jLow, int jHigh, int startLow, int startHigh, double[] w, double[] m1, double[] m2, double[,] cost, int[,] from)
    {
        if (jLow > jHigh)
        {
            return;
        }

        int j = (jLow + jHigh) / 2;
        double best = double.PositiveInfinity;
        int bestStart = Math.Max(k, startLow);
        for (int start = Math.Max(k, startLow); start <= Math.Min(j, startHigh); start++)
        {
            double candidate = cost[k - 1, start - 1] + Within(w, m1, m2, start, j);
            if (candidate < best)
            {
                best = candidate;
                bestStart = start;
            }
        }

        cost[k, j] = best;
        from[k, j] = bestStart;
        FillRow(k, jLow, j - 1, startLow, bestStart, w, m1, m2, cost, from);
        FillRow(k, j + 1, jHigh, bestStart, startHigh, w, m1, m2, cost, from);
    }

    private static double Within(double[] w, double[] m1, double[] m2, int first, int last)
    {
        double weight = w[last + 1] - w[first];
        if (weight <= 0)
        {
            return 0;
        }

        double s1 = m1[last + 1] - m1[first];
        return m2[last + 1] - m2[first] - (s1 * s1 / weight);
    }
}
