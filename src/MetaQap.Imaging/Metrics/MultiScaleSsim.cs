using System.Buffers;

namespace MetaQap.Imaging.Metrics;

/// <summary>
/// MS-SSIM after Wang, Simoncelli &amp; Bovik 2003 and Wang's msssim.m: the mean contrast-structure term at
/// scales 1..L-1 and the mean SSIM at scale L, raised to the paper's weights and multiplied; between scales
/// each image is averaged over 2x2 blocks and subsampled by 2 (imfilter(ones(2)/4, 'symmetric') then every
/// second sample, so an odd last row or column is kept as it is).
/// </summary>
/// <remarks>
/// Five scales need the coarsest one to still hold the 11x11 window: at least 161 pixels on the short side
/// with ceil(n/2) halving (176 with exact halving); the reference implementations refuse smaller images.
/// Here L is instead the largest number of scales (at most 5) whose
/// coarsest image is still at least 11 pixels on each side (96x96 gets 4, 40x40 gets 2, 11x11 gets 1, where
/// MS-SSIM is plain SSIM), and the first L weights are renormalised to sum to 1 so the score stays on the
/// same [0, 1] scale. A negative mean term (anti-correlated structure) is clamped to 0 before the fractional
/// power, as pytorch_msssim does, because a negative base has no real power.
/// </remarks>
internal static class MultiScaleSsim
{
    public const int MaxScales = 5;

    private static readonly double[] s_weights = [0.0448, 0.2856, 0.3001, 0.2363, 0.1333];

    public static int ScaleCount(int width, int height)
    {
        int scales = 1;
        while (scales < MaxScales)
        {
            width = (width + 1) / 2;
            height = (height + 1) / 2;
            if (Math.Min(width, height) < GaussianSsim.WindowSize)
            {
                break;
            }

            scales++;
        }

        return scales;
    }

    /// <summary>Returns MS-SSIM and, as a by-product of its first scale, single-scale SSIM.</summary>
    public static (double MsSsim, double Ssim) Compute(ReadOnlySpan<float> x, ReadOnlySpan<float> y, int width, int height)
    {
        int scales = ScaleCount(width, height);
        double weightSum = 0;
        for (int s = 0; s < scales; s++)
        {
            weightSum += s_weights[s];
        }

        // Two ping-pong halves per image: scale s reads one and writes the next, quarter-size, into the other.
        int half = ((width + 1) / 2) * ((height + 1) / 2);
        float[] buffer = ArrayPool<float>.Shared.Rent(4 * half);
        try
        {
            double product = 1;
            double ssim = 1;
            ReadOnlySpan<float> cx = x, cy = y;
            int w = width, h = height;
            for (int s = 0; s < scales; s++)
            {
                SsimMeans means = GaussianSsim.Compute(cx, cy, w, h);
                if (s == 0)
                {
                    ssim = means.Ssim;
                }

                double term = s == scales - 1 ? means.Ssim : means.ContrastStructure;
                product *= Math.Pow(Math.Max(term, 0), s_weights[s] / weightSum);
                if (s == scales - 1)
                {
                    break;
                }

                int nw = (w + 1) / 2, nh = (h + 1) / 2;
                int bank = (s % 2) * 2 * half;
                Span<float> nx = buffer.AsSpan(bank, nw * nh), ny = buffer.AsSpan(bank + half, nw * nh);
                Downsample(cx, w, h, nx);
                Downsample(cy, w, h, ny);
                cx = nx;
                cy = ny;
                w = nw;
                h = nh;
            }

            return (product, ssim);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }

    /// <summary>2x2 block means with the last row/column repeated when the size is odd (symmetric padding).</summary>
    private static void Downsample(ReadOnlySpan<float> source, int width, int height, Span<float> destination)
    {
        int nw = (width + 1) / 2, nh = (height + 1) / 2;
        for (int i = 0; i < nh; i++)
        {
            ReadOnlySpan<float> r0 = source.Slice(2 * i * width, width);
            ReadOnlySpan<float> r1 = source.Slice(Math.Min((2 * i) + 1, height - 1) * width, width);
            Span<float> d = destination.Slice(i * nw, nw);
            for (int j = 0; j < nw; j++)
            {
                int c0 = 2 * j, c1 = Math.Min(c0 + 1, width - 1);
                d[j] = (r0[c0] + r0[c1] + r1[c0] + r1[c1]) * 0.25f;
            }
        }
    }
}
