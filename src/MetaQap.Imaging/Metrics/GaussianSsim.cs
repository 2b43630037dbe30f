using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MetaQap.Imaging.Metrics;

/// <summary>The means of the SSIM map and of its contrast-structure factor over one scale.</summary>
internal readonly record struct SsimMeans(double Ssim, double ContrastStructure);

/// <summary>
/// SSIM at one scale with Wang et al.'s 11x11 Gaussian window (sigma 1.5), K1 = 0.01, K2 = 0.03, data range 1,
/// population (co)variances, averaged over the "valid" region where the window lies inside the image. That is
/// skimage's structural_similarity(gaussian_weights=True, use_sample_covariance=False): it filters with
/// reflection and then crops the 5-pixel border, which leaves exactly the valid region.
/// </summary>
/// <remarks>
/// The separable filter runs as a stream: each input row is filtered horizontally into a ring of the last
/// 11 rows, and each complete ring is filtered vertically and turned into SSIM values at once, so the working
/// memory is 55 rows of the output width whatever the image height.
/// </remarks>
internal static class GaussianSsim
{
    public const int WindowSize = 11;

    private const int Quantities = 5; // x, y, x*x, y*y, x*y
    private const float C1 = 0.01f * 0.01f;
    private const float C2 = 0.03f * 0.03f;

    // Samples are shifted by this before filtering so the squares being subtracted in E[x^2] - E[x]^2 are at
    // most 0.25 instead of 1, which keeps float32 cancellation far below the 1e-4 agreement with float64.
    private const float Shift = 0.5f;

    private static readonly float[] s_kernel = BuildKernel();

    public static SsimMeans Compute(ReadOnlySpan<float> x, ReadOnlySpan<float> y, int width, int height)
    {
        int outWidth = width - WindowSize + 1;
        int outHeight = height - WindowSize + 1;
        int ringSize = Quantities * WindowSize * outWidth;
        int rowsSize = Quantities * width;
        float[] buffer = ArrayPool<float>.Shared.Rent(ringSize + rowsSize);
        try
        {
            Span<float> ring = buffer.AsSpan(0, ringSize);
            Span<float> products = buffer.AsSpan(ringSize, rowsSize);
            double ssimSum = 0, csSum = 0;
            Span<int> slots = stackalloc int[WindowSize];
            for (int row = 0; row < height; row++)
            {
                FillProducts(x.Slice(row * width, width), y.Slice(row * width, width), products);
                int slot = row % WindowSize;
                for (int q = 0; q < Quantities; q++)
                {
                    FilterRow(products.Slice(q * width, width), ring.Slice(((q * WindowSize) + slot) * outWidth, outWidth));
                }

                int top = row - WindowSize + 1;
                if (top >= 0)
                {
                    for (int k = 0; k < WindowSize; k++)
                    {
                        slots[k] = (top + k) % WindowSize;
                    }

                    (double s, double cs) = VerticalSsimRow(ring, outWidth, slots);
                    ssimSum += s;
                    csSum += cs;
                }
            }

            double count = (double)outWidth * outHeight;
            return new SsimMeans(ssimSum / count, csSum / count);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }

    private static void FillProducts(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> products)
    {
        int n = x.Length;
        Span<float> a = products[..n], b = products.Slice(n, n), aa = products.Slice(2 * n, n);
        Span<float> bb = products.Slice(3 * n, n), ab = products.Slice(4 * n, n);
        for (int i = 0; i < n; i++)
        {
            float u = x[i] - Shift, v = y[i] - Shift;
            a[i] = u;
            b[i] = v;
            aa[i] = u * u;
            bb[i] = v * v;
            ab[i] = u * v;
        }
    }

    /// <summary>"Valid" correlation of one row with the Gaussian kernel.</summary>
    private static void FilterRow(ReadOnlySpan<float> source, Span<float> destination)
    {
        ref float src = ref MemoryMarshal.GetReference(source);
        ref float dst = ref MemoryMarshal.GetReference(destination);
        int n = destination.Length;
        int i = 0;
        for (; i <= n - Vector<float>.Count; i += Vector<float>.Count)
        {
            Vector<float> acc = Vector<float>.Zero;
            for (int k = 0; k < WindowSize; k++)
            {
                acc += new Vector<float>(s_kernel[k]) * Vector.LoadUnsafe(ref src, (nuint)(i + k));
            }

            acc.StoreUnsafe(ref dst, (nuint)i);
        }

        for (; i < n; i++)
        {
            float acc = 0f;
            for (int k = 0; k < WindowSize; k++)
            {
                acc += s_kernel[k] * Unsafe.Add(ref src, i + k);
            }

            Unsafe.Add(ref dst, i) = acc;
        }
    }

    /// <summary>Filters the ring vertically and returns the row sums of the SSIM and contrast-structure maps.</summary>
    private static (double Ssim, double Cs) VerticalSsimRow(Span<float> ring, int outWidth, ReadOnlySpan<int> slots)
    {
        ref float ringRef = ref MemoryMarshal.GetReference(ring);
        Span<int> offsets = stackalloc int[Quantities * WindowSize];
        for (int q = 0; q < Quantities; q++)
        {
            for (int k = 0; k < WindowSize; k++)
            {
                offsets[(q * WindowSize) + k] = ((q * WindowSize) + slots[k]) * outWidth;
            }
        }

        Vector<double> ssimAcc = Vector<double>.Zero, csAcc = Vector<double>.Zero;
        int j = 0;
        for (; j <= outWidth - Vector<float>.Count; j += Vector<float>.Count)
        {
            (Vector<float> ssim, Vector<float> cs) = Ssim(
                Column(ref ringRef, offsets, 0, j),
                Column(ref ringRef, offsets, 1, j),
                Column(ref ringRef, offsets, 2, j),
                Column(ref ringRef, offsets, 3, j),
                Column(ref ringRef, offsets, 4, j));
            Vector.Widen(ssim, out Vector<double> s0, out Vector<double> s1);
            Vector.Widen(cs, out Vector<double> c0, out Vector<double> c1);
            ssimAcc += s0 + s1;
            csAcc += c0 + c1;
        }

        double ssimSum = Vector.Sum(ssimAcc), csSum = Vector.Sum(csAcc);
        for (; j < outWidth; j++)
        {
            // The remainder goes through the same vector formula with every lane holding the same value.
            (Vector<float> ssim, Vector<float> cs) = Ssim(
                new(ColumnScalar(ref ringRef, offsets, 0, j)),
                new(ColumnScalar(ref ringRef, offsets, 1, j)),
                new(ColumnScalar(ref ringRef, offsets, 2, j)),
                new(ColumnScalar(ref ringRef, offsets, 3, j)),
                new(ColumnScalar(ref ringRef, offsets, 4, j)));
            ssimSum += ssim[0];
            csSum += cs[0];
        }

        return (ssimSum, csSum);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> Column(ref float ring, ReadOnlySpan<int> offsets, int quantity, int j)
    {
        Vector<float> acc = Vector<float>.Zero;
        for (int k = 0; k < WindowSize; k++)
        {
            acc += new Vector<float>(s_kernel[k]) * Vector.LoadUnsafe(ref ring, (nuint)(offsets[(quantity * WindowSize) + k] + j));
        }

        return acc;
    }

    private static float ColumnScalar(ref float ring, ReadOnlySpan<int> offsets, int quantity, int j)
    {
        float acc = 0f;
        for (int k = 0; k < WindowSize; k++)
        {
            acc += s_kernel[k] * Unsafe.Add(ref ring, offsets[(quantity * WindowSize) + k] + j);
        }

        return acc;
    }

    /// <summary>
    /// SSIM and its contrast-structure factor from the filtered moments of the shifted samples. Written so
    /// that swapping x and y gives bit-identical results (2 * (mx * my), sums of the two sides).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector<float> Ssim, Vector<float> Cs) Ssim(
        Vector<float> a, Vector<float> b, Vector<float> aa, Vector<float> bb, Vector<float> ab)
    {
        var shift = new Vector<float>(Shift);
        var c1 = new Vector<float>(C1);
        var c2 = new Vector<float>(C2);
        var two = new Vector<float>(2f);
        Vector<float> mx = a + shift, my = b + shift;
        Vector<float> vx = aa - (a * a), vy = bb - (b * b), vxy = ab - (a * b);
        Vector<float> cs = ((two * vxy) + c2) / (vx + vy + c2);
        Vector<float> luminance = ((two * (mx * my)) + c1) / ((mx * mx) + (my * my) + c1);
        return (luminance * cs, cs);
    }

    /// <summary>The normalised 11-tap Gaussian of sigma 1.5 (scipy's gaussian_filter with truncate 3.5).</summary>
    private static float[] BuildKernel()
    {
        const double sigma = 1.5;
        int radius = WindowSize / 2;
        var weights = new double[WindowSize];
        double sum = 0;
        for (int i = 0; i < WindowSize; i++)
        {
            int d = i - radius;
            weights[i] = Math.Exp(-(d * d) / (2 * sigma * sigma));
            sum += weights[i];
        }

        var kernel = new float[WindowSize];
        for (int i = 0; i < WindowSize; i++)
        {
            kernel[i] = (float)(weights[i] / sum);
        }

        return kernel;
    }
}
