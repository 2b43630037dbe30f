namespace MetaQap.Imaging.Distortions.Support;

/// <summary>
/// L2 norms of the 1-D CDF 9/7 basis functions per level (index 1..MaxLevels; 0 unused); a 2-D band's norm is the
/// product of its two axes' norms. Synthesis norms weight quantisation error (what a coefficient error costs in
/// the image); analysis norms scale white noise (how much pixel noise lands in a coefficient). Both are measured
/// away from the line ends, so the boundary extension does not enter.
/// </summary>
internal sealed record BandNorms(double[] SynthesisLow, double[] SynthesisHigh, double[] AnalysisLow, double[] AnalysisHigh)
{
    private const int Length = 1024;
    private const int FilterProbeLength = 64;

    public static BandNorms Measure()
    {
        int levels = Cdf97Wavelet.MaxLevels;
        var synthesisLow = new double[levels + 1];
        var synthesisHigh = new double[levels + 1];
        var analysisLow = new double[levels + 1];
        var analysisHigh = new double[levels + 1];
        var scratch = new float[Length];
        (double[] lowTaps, double[] highTaps) = OneLevelAnalysisFilters();

        // Noble identity: j levels of filter-and-decimate equal one filter, the product of the single-level filter
        // upsampled by 1, 2, ..., 2^(j-1), followed by decimation by 2^j.
        double[] lowChain = [1];
        for (int level = 1; level <= levels; level++)
        {
            int factor = 1 << (level - 1);
            analysisHigh[level] = Norm(Convolve(lowChain, Upsample(highTaps, factor)));
            lowChain = Convolve(lowChain, Upsample(lowTaps, factor));
            analysisLow[level] = Norm(lowChain);

            int lowEnd = Cdf97Wavelet.Size(Length, level);
            int highEnd = Cdf97Wavelet.Size(Length, level - 1);
            synthesisLow[level] = SynthesisNorm(lowEnd / 2, level, scratch);
            synthesisHigh[level] = SynthesisNorm(lowEnd + ((highEnd - lowEnd) / 2), level, scratch);
        }

        return new BandNorms(synthesisLow, synthesisHigh, analysisLow, analysisHigh);
    }

    /// <summary>Rows of the one-level analysis matrix for a central low and high coefficient: the filter taps.</summary>
    private static (double[] Low, double[] High) OneLevelAnalysisFilters()
    {
        int half = FilterProbeLength / 2;
        var low = new double[FilterProbeLength];
        var high = new double[FilterProbeLength];
        var line = new float[FilterProbeLength];
        var sorted = new float[FilterProbeLength];
        for (int i = 0; i < FilterProbeLength; i++)
        {
            Array.Clear(line);
            line[i] = 1;
            Cdf97Wavelet.Split(line, sorted, 1);
            Cdf97Wavelet.Analyze(sorted, FilterProbeLength, 1);
            low[i] = sorted[half / 2];
            high[i] = sorted[half + (half / 2)];
        }

        return (low, high);
    }

    private static double[] Upsample(double[] taps, int factor)
    {
        var result = new double[((taps.Length - 1) * factor) + 1];
        for (int i = 0; i < taps.Length; i++)
        {
            result[i * factor] = taps[i];
        }

        return result;
    }

    private static double[] Convolve(double[] a, double[] b)
    {
        var result = new double[a.Length + b.Length - 1];
        for (int i = 0; i < a.Length; i++)
        {
            for (int j = 0; j < b.Length; j++)
            {
                result[i + j] += a[i] * b[j];
            }
        }

        return result;
    }

    private static double Norm(double[] taps)
    {
        double energy = 0;
        foreach (double t in taps)
        {
            energy += t * t;
        }

        return Math.Sqrt(energy);
    }

    private static double SynthesisNorm(int index, int level, float[] scratch)
    {
        var line = new float[Length];
        line[index] = 1;
        for (int l = level - 1; l >= 0; l--)
        {
            int n = Cdf97Wavelet.Size(Length, l);
            Cdf97Wavelet.Synthesize(line.AsSpan(0, n), n, 1);
            Cdf97Wavelet.Merge(line.AsSpan(0, n), scratch.AsSpan(0, n), 1);
            scratch.AsSpan(0, n).CopyTo(line);
        }

        double energy = 0;
        foreach (float v in line)
        {
            energy += (double)v * v;
        }

        return Math.Sqrt(energy);
    }
}
