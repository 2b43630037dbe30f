using System.Collections.Concurrent;
using MetaQap.Imaging.Pixels;

namespace MetaQap.Imaging.Distortions;

/// <summary>
/// The JPEG2000 substitute: the CDF 9/7 wavelet (JPEG2000's irreversible filter, lifting form, symmetric borders),
/// up to five decomposition levels, dead-zone scalar quantisation with mid-point reconstruction, and a single
/// step size (scaled per subband by its synthesis gain, so the error is spread evenly in the image) found by
/// bisection so that the zeroth-order entropy of the quantised coefficients meets the bit budget. JPEG2000's
/// EBCOT coder beats zeroth-order entropy, so at the same nominal ratio this is somewhat harsher than a real
/// encoder; the look (blur and ringing around edges, no blocks) is the same.
/// </summary>
internal static class WaveletCodec
{
    private const double Alpha = -1.586134342, Beta = -0.05298011854, Gamma = 0.8829110762, Delta = 0.4435068522, K = 1.149604398;

    public static void CompressPlanes(RgbImage image, double bitsPerPixel)
    {
        int w = image.Width, h = image.Height;
        int levels = Levels(w, h);
        var coefficients = new float[RgbImage.Channels][];
        for (int c = 0; c < RgbImage.Channels; c++)
        {
            coefficients[c] = image.ReadPlane(c).ToArray();
            Forward(coefficients[c], w, h, levels);
        }

        List<Subband> bands = Subbands(w, h, levels);
        double targetBits = bitsPerPixel * w * h;
        double low = 1e-5, high = 4.0;
        for (int iteration = 0; iteration < 24; iteration++)
        {
            double step = Math.Sqrt(low * high);
            if (Bits(coefficients, bands, w, step) > targetBits)
            {
                low = step;
            }
            else
            {
                high = step;
            }
        }

        for (int c = 0; c < RgbImage.Channels; c++)
        {
            Quantize(coefficients[c], bands, w, high);
            Inverse(coefficients[c], w, h, levels);
            coefficients[c].CopyTo(image.Plane(c));
        }
    }

    private static int Levels(int w, int h)
    {
        int levels = 0;
        while (levels < 5 && Math.Min(w, h) >> (levels + 1) >= 8)
        {
            levels++;
        }

        return Math.Max(1, levels);
    }

    private sealed record Subband(int X, int Y, int Width, int Height, double Gain);

    private static readonly ConcurrentDictionary<(int, int, int), List<Subband>> SubbandCache = new();

    /// <summary>
    /// The subbands of a (w, h, levels) decomposition with their synthesis gains: the L2 norm of the image an
    /// impulse in the middle of the subband reconstructs to. Dividing the step by it spreads the quantisation error
    /// evenly over the image whatever the filter normalisation.
    /// </summary>
    private static List<Subband> Subbands(int w, int h, int levels) =>
        SubbandCache.GetOrAdd((w, h, levels), key =>
        {
            var bands = new List<Subband>();
            int cw = w, ch = h;
            for (int level = 1; level <= levels; level++)
            {
                int lw = (cw + 1) / 2, lh = (ch + 1) / 2;
                bands.Add(Measured(lw, 0, cw - lw, lh));         // HL
                bands.Add(Measured(0, lh, lw, ch - lh));         // LH
                bands.Add(Measured(lw, lh, cw - lw, ch - lh));   // HH
                cw = lw;
                ch = lh;
            }

            bands.Add(Measured(0, 0, cw, ch));                   // LL
            return bands;

            Subband Measured(int x, int y, int bw, int bh)
            {
                var impulse = new float[w * h];
                impulse[((y + (bh / 2)) * w) + x + (bw / 2)] = 1f;
                Inverse(impulse, w, h, levels);
                double energy = 0;
                foreach (float v in impulse)
                {
                    energy += v * v;
                }

                return new Subband(x, y, bw, bh, Math.Sqrt(energy));
            }
        });

    private static double Bits(float[][] planes, List<Subband> bands, int stride, double step)
    {
        double bits = 0;
        int[] counts = [];
        foreach (float[] plane in planes)
        {
            foreach (Subband band in bands)
            {
                double inverseStep = band.Gain / step;
                float largest = 0;
                for (int y = band.Y; y < band.Y + band.Height; y++)
                {
                    for (int x = band.X; x < band.X + band.Width; x++)
                    {
                        largest = MathF.Max(largest, MathF.Abs(plane[(y * stride) + x]));
                    }
                }

                int n = band.Width * band.Height;
                long levels = (long)(largest * inverseStep) + 1;
                if (levels > 1 << 20)
                {
                    // Far finer than any budget here: every coefficient costs at least its magnitude's bits.
                    bits += n * Math.Log2(levels);
                    continue;
                }

                if (counts.Length < levels)
                {
                    counts = new int[levels];
                }

                Array.Clear(counts, 0, (int)levels);
                for (int y = band.Y; y < band.Y + band.Height; y++)
                {
                    for (int x = band.X; x < band.X + band.Width; x++)
                    {
                        counts[(int)(Math.Abs(plane[(y * stride) + x]) * inverseStep)]++;
                    }
                }

                for (int q = 0; q < levels; q++)
                {
                    if (counts[q] > 0)
                    {
                        bits -= counts[q] * Math.Log2((double)counts[q] / n);
                    }
                }

                // Sign bits for the non-zero coefficients.
                bits += n - counts[0];
            }
        }

        return bits;
    }

    private static void Quantize(float[] plane, List<Subband> bands, int stride, double step)
    {
        foreach (Subband band in bands)
        {
            double bandStep = step / band.Gain;
            for (int y = band.Y; y < band.Y + band.Height; y++)
            {
                for (int x = band.X; x < band.X + band.Width; x++)
                {
                    int i = (y * stride) + x;
                    int q = (int)(Math.Abs(plane[i]) / bandStep);
                    plane[i] = q == 0 ? 0f : (float)(Math.Sign(plane[i]) * (q + 0.5) * bandStep);
                }
            }
        }
    }

    private static void Forward(float[] plane, int w, int h, int levels)
    {
        int cw = w, ch = h;
        var line = new float[Math.Max(w, h)];
        for (int level = 0; level < levels; level++)
        {
            for (int y = 0; y < ch; y++)
            {
                Transform1D(plane.AsSpan(y * w, cw), line, inverse: false);
            }

            var column = new float[ch];
            for (int x = 0; x < cw; x++)
            {
                for (int y = 0; y < ch; y++)
                {
                    column[y] = plane[(y * w) + x];
                }

                Transform1D(column, line, inverse: false);
                for (int y = 0; y < ch; y++)
                {
                    plane[(y * w) + x] = column[y];
                }
            }

            cw = (cw + 1) / 2;
            ch = (ch + 1) / 2;
        }
    }

    private static void Inverse(float[] plane, int w, int h, int levels)
    {
        var widths = new int[levels];
        var heights = new int[levels];
        int cw = w, ch = h;
        for (int level = 0; level < levels; level++)
        {
            widths[level] = cw;
            heights[level] = ch;
            cw = (cw + 1) / 2;
            ch = (ch + 1) / 2;
        }

        var line = new float[Math.Max(w, h)];
        for (int level = levels - 1; level >= 0; level--)
        {
            cw = widths[level];
            ch = heights[level];
            var column = new float[ch];
            for (int x = 0; x < cw; x++)
            {
                for (int y = 0; y < ch; y++)
                {
                    column[y] = plane[(y * w) + x];
                }

                Transform1D(column, line, inverse: true);
                for (int y = 0; y < ch; y++)
                {
                    plane[(y * w) + x] = column[y];
                }
            }

            for (int y = 0; y < ch; y++)
            {
                Transform1D(plane.AsSpan(y * w, cw), line, inverse: true);
            }
        }
    }

    /// <summary>
    /// One level of the 9/7 lifting transform on <paramref name="data"/>: forward leaves the low-pass half first
    /// and the high-pass half after it; inverse undoes exactly that.
    /// </summary>
    internal static void Transform1D(Span<float> data, float[] scratch, bool inverse)
    {
        int n = data.Length;
        if (n < 2)
        {
            return;
        }

        int lows = (n + 1) / 2;
        Span<float> x = scratch.AsSpan(0, n);
        if (!inverse)
        {
            data.CopyTo(x);
            Lift(x, 1, Alpha);
            Lift(x, 0, Beta);
            Lift(x, 1, Gamma);
            Lift(x, 0, Delta);
            for (int i = 0; i < n; i++)
            {
                float v = (i & 1) == 0 ? (float)(x[i] / K) : (float)(x[i] * K);
                data[(i & 1) == 0 ? i / 2 : lows + (i / 2)] = v;
            }

            return;
        }

        for (int i = 0; i < n; i++)
        {
            float v = (i & 1) == 0 ? data[i / 2] : data[lows + (i / 2)];
            x[i] = (i & 1) == 0 ? (float)(v * K) : (float)(v / K);
        }

        Lift(x, 0, -Delta);
        Lift(x, 1, -Gamma);
        Lift(x, 0, -Beta);
        Lift(x, 1, -Alpha);
        x.CopyTo(data);
    }

    /// <summary>x[i] += a·(x[i−1] + x[i+1]) for every i of the given parity, with whole-sample symmetric borders.</summary>
    private static void Lift(Span<float> x, int parity, double a)
    {
        int n = x.Length;
        for (int i = parity; i < n; i += 2)
        {
            float left = x[i > 0 ? i - 1 : 1];
            float right = x[i < n - 1 ? i + 1 : n - 2];
            x[i] += (float)(a * (left + right));
        }
    }
}
