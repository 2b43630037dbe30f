using System.Buffers;
using MetaQap.Imaging.Pixels;

namespace MetaQap.Imaging.Metrics;

/// <summary>
/// Full-reference quality metrics of a distorted image against its pristine reference, computed on Rec. 601
/// luma in [0, 1] (<see cref="RgbImage.ToLuma"/>). They label the quality-aware training corpus
/// (<see cref="PseudoQuality"/>). Both images must have the same size, at least 11x11 (the SSIM window).
/// All methods are thread-safe; working memory comes from <see cref="ArrayPool{T}.Shared"/>.
/// </summary>
public static class FullReferenceMetrics
{
    public const int MinimumSide = GaussianSsim.WindowSize;

    /// <summary>SSIM (Wang et al. 2004) as skimage computes it with Gaussian weights and population covariances.</summary>
    public static double Ssim(RgbImage reference, RgbImage distorted) =>
        WithLuma(reference, distorted, static (x, y, w, h) => GaussianSsim.Compute(x, y, w, h).Ssim);

    /// <summary>MS-SSIM (Wang, Simoncelli &amp; Bovik 2003); fewer than five scales for small images, see <see cref="MsSsim(ReadOnlySpan{float}, ReadOnlySpan{float}, int, int)"/>.</summary>
    public static double MsSsim(RgbImage reference, RgbImage distorted) =>
        WithLuma(reference, distorted, static (x, y, w, h) => MultiScaleSsim.Compute(x, y, w, h).MsSsim);

    /// <summary>GMSD (Xue et al. 2014): lower is better, 0 for identical images.</summary>
    public static double Gmsd(RgbImage reference, RgbImage distorted) =>
        WithLuma(reference, distorted, static (x, y, w, h) => GradientMagnitudeSimilarity.Compute(x, y, w, h));

    /// <summary>
    /// The three luma metrics (each image converted to luma once, SSIM taken from MS-SSIM's first scale) and the
    /// chroma difference.
    /// </summary>
    public static FullReferenceScores Measure(RgbImage reference, RgbImage distorted) =>
        WithLuma(reference, distorted, static (x, y, w, h) => Measure(x, y, w, h))
            with { ChromaDifference = ChromaDifferenceMetric.Compute(reference, distorted) };

    /// <inheritdoc cref="Ssim(RgbImage, RgbImage)"/>
    public static double Ssim(ReadOnlySpan<float> reference, ReadOnlySpan<float> distorted, int width, int height)
    {
        Validate(reference, distorted, width, height);
        return GaussianSsim.Compute(reference, distorted, width, height).Ssim;
    }

    /// <summary>
    /// MS-SSIM with L = the largest number of scales, at most 5, whose coarsest image is still at least 11 pixels
    /// on each side (96x96 gets 4), and the first L of the weights (0.0448, 0.2856, 0.3001, 0.2363, 0.1333)
    /// renormalised to sum to 1; an 11x11 image gets one scale, where MS-SSIM equals SSIM.
    /// </summary>
    public static double MsSsim(ReadOnlySpan<float> reference, ReadOnlySpan<float> distorted, int width, int height)
    {
        Validate(reference, distorted, width, height);
        return MultiScaleSsim.Compute(reference, distorted, width, height).MsSsim;
    }

    /// <inheritdoc cref="Gmsd(RgbImage, RgbImage)"/>
    public static double Gmsd(ReadOnlySpan<float> reference, ReadOnlySpan<float> distorted, int width, int height)
    {
        Validate(reference, distorted, width, height);
        return GradientMagnitudeSimilarity.Compute(reference, distorted, width, height);
    }

    /// <summary>The three luma metrics; <see cref="FullReferenceScores.ChromaDifference"/> is 0 (luma has no colour).</summary>
    public static FullReferenceScores Measure(ReadOnlySpan<float> reference, ReadOnlySpan<float> distorted, int width, int height)
    {
        Validate(reference, distorted, width, height);
        (double msSsim, double ssim) = MultiScaleSsim.Compute(reference, distorted, width, height);
        double gmsd = GradientMagnitudeSimilarity.Compute(reference, distorted, width, height);
        return new FullReferenceScores(ssim, msSsim, gmsd);
    }

    private delegate T LumaMetric<out T>(ReadOnlySpan<float> reference, ReadOnlySpan<float> distorted, int width, int height);

    private static T WithLuma<T>(RgbImage reference, RgbImage distorted, LumaMetric<T> metric)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(distorted);
        if (reference.Width != distorted.Width || reference.Height != distorted.Height)
        {
            throw new ArgumentException(
                $"The distorted image is {distorted.Width}x{distorted.Height} but its reference is {reference.Width}x{reference.Height}.",
                nameof(distorted));
        }

        ValidateSize(reference.Width, reference.Height);
        int n = reference.PlaneSize;
        float[] buffer = ArrayPool<float>.Shared.Rent(2 * n);
        try
        {
            Span<float> x = buffer.AsSpan(0, n), y = buffer.AsSpan(n, n);
            Luma.Write(reference, x);
            Luma.Write(distorted, y);
            return metric(x, y, reference.Width, reference.Height);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }

    private static void Validate(ReadOnlySpan<float> reference, ReadOnlySpan<float> distorted, int width, int height)
    {
        ValidateSize(width, height);
        long expected = (long)width * height;
        if (reference.Length != expected)
        {
            throw new ArgumentException($"Expected {expected} luma samples for {width}x{height}, got {reference.Length}.", nameof(reference));
        }

        if (distorted.Length != expected)
        {
            throw new ArgumentException($"Expected {expected} luma samples for {width}x{height}, got {distorted.Length}.", nameof(distorted));
        }
    }

    private static void ValidateSize(int width, int height)
    {
        if (width < MinimumSide || height < MinimumSide)
        {
            throw new ArgumentException($"Full-reference metrics need at least {MinimumSide}x{MinimumSide} pixels, got {width}x{height}.");
        }
    }
}
