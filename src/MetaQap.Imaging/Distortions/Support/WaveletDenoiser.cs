using System.Buffers;

namespace MetaQap.Imaging.Distortions.Support;

/// <summary>
/// Stand-in for KADID's DnCNN: BayesShrink (Chang, Yu, Vetterli 2000) soft thresholding of the CDF 9/7 detail
/// bands with the known noise level, with the decimation artefacts softened by averaging the
/// unshifted result with a diagonally one-pixel-shifted one (cycle spinning; a one-pixel shift changes the
/// sampling phase at every level). Like DnCNN on heavy noise, it leaves a smoothed image with residual blotches.
/// </summary>
internal static class WaveletDenoiser
{
    private const int Levels = 4;
    private static readonly (int X, int Y)[] s_spins = [(0, 0), (1, 1)];

    public static void Denoise(Span<float> plane, int width, int height, float sigma)
    {
        int levels = Cdf97Wavelet.LevelsFor(width, height, Levels);
        if (levels == 0 || sigma <= 0)
        {
            return;
        }

        WaveletBand[] bands = WaveletBand.All(width, height, levels);
        int n = width * height;
        float[] buffer = ArrayPool<float>.Shared.Rent(2 * n);
        try
        {
            Span<float> sum = buffer.AsSpan(0, n);
            Span<float> work = buffer.AsSpan(n, n);
            sum.Clear();
            foreach ((int sx, int sy) in s_spins)
            {
                Shift(plane, work, width, height, sx, sy);
                Cdf97Wavelet.Forward(work, width, height, levels);
                foreach (WaveletBand band in bands)
                {
                    if (!band.IsLowest)
                    {
                        Shrink(work, width, band, sigma * (float)band.AnalysisNorm(Cdf97Wavelet.Norms));
                    }
                }

                Cdf97Wavelet.Inverse(work, width, height, levels);
                AccumulateUnshifted(work, sum, width, height, sx, sy);
            }

            float scale = 1f / s_spins.Length;
            for (int i = 0; i < n; i++)
            {
                plane[i] = sum[i] * scale;
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }

    /// <summary>BayesShrink: threshold noise variance / signal deviation; a band that is all noise is zeroed.</summary>
    private static void Shrink(Span<float> coefficients, int stride, WaveletBand band, float noiseSigma)
    {
        double energy = 0;
        for (int y = band.Y0; y < band.Y1; y++)
        {
            foreach (float c in coefficients.Slice((y * stride) + band.X0, band.X1 - band.X0))
            {
                energy += c * c;
            }
        }

        double noiseVariance = (double)noiseSigma * noiseSigma;
        double signalVariance = (energy / band.Count) - noiseVariance;
        float threshold = signalVariance > 0 ? (float)(noiseVariance / Math.Sqrt(signalVariance)) : float.PositiveInfinity;
        for (int y = band.Y0; y < band.Y1; y++)
        {
            Span<float> row = coefficients.Slice((y * stride) + band.X0, band.X1 - band.X0);
            for (int i = 0; i < row.Length; i++)
            {
                float magnitude = MathF.Abs(row[i]) - threshold;
                row[i] = magnitude > 0 ? MathF.CopySign(magnitude, row[i]) : 0f;
            }
        }
    }

    /// <summary>work(y, x) = plane(y + sy, x + sx), replicated at the far edge.</summary>
    private static void Shift(ReadOnlySpan<float> plane, Span<float> work, int width, int height, int sx, int sy)
    {
        for (int y = 0; y < height; y++)
        {
            int from = Math.Min(y + sy, height - 1) * width;
            for (int x = 0; x < width; x++)
            {
                work[(y * width) + x] = plane[from + Math.Min(x + sx, width - 1)];
            }
        }
    }

    /// <summary>sum(y, x) += work(y - sy, x - sx), replicated at the near edge.</summary>
    private static void AccumulateUnshifted(ReadOnlySpan<float> work, Span<float> sum, int width, int height, int sx, int sy)
    {
        for (int y = 0; y < height; y++)
        {
            int from = Math.Max(y - sy, 0) * width;
            for (int x = 0; x < width; x++)
            {
                sum[(y * width) + x] += work[from + Math.Max(x - sx, 0)];
            }
        }
    }
}
