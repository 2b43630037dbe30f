using System.Buffers;
using System.Numerics;
using System.Runtime.InteropServices;

namespace MetaQap.Imaging.Distortions.Support;

/// <summary>
/// The CDF 9/7 wavelet of JPEG 2000's irreversible path, by lifting with whole-sample symmetric extension, in a
/// Mallat layout: after each level the low band occupies the first ceil(n/2) samples of every line, the high
/// band the rest. Low-pass DC gain is 1 (the final scaling divides by K); band norms are measured, not assumed.
/// Samples are split into even/odd halves first, so every lifting step is one vectorised pass over contiguous
/// memory: along a row the samples are floats, along a column whole rows.
/// </summary>
internal static class Cdf97Wavelet
{
    private const float Alpha = -1.586134342059924f;
    private const float Beta = -0.052980118572961f;
    private const float Gamma = 0.882911075530934f;
    private const float Delta = 0.443506852043971f;
    private const float K = 1.230174104914001f;

    public const int MaxLevels = 6;

    private static readonly Lazy<BandNorms> s_norms = new(BandNorms.Measure);

    /// <summary>L2 norms of one coefficient's synthesis (reconstruction) and analysis functions, per 1-D band.</summary>
    public static BandNorms Norms => s_norms.Value;

    /// <summary>How many levels fit: the coarsest low band keeps at least four samples per axis.</summary>
    public static int LevelsFor(int width, int height, int wanted)
    {
        int levels = 0;
        while (levels < Math.Min(wanted, MaxLevels) && (Math.Min(width, height) >> (levels + 1)) >= 4)
        {
            levels++;
        }

        return levels;
    }

    /// <summary>Length of a line at the input of the given level (0 = full resolution).</summary>
    public static int Size(int length, int level)
    {
        for (int i = 0; i < level; i++)
        {
            length = (length + 1) / 2;
        }

        return length;
    }

    public static void Forward(Span<float> plane, int width, int height, int levels)
    {
        float[] block = ArrayPool<float>.Shared.Rent(width * height);
        try
        {
            for (int level = 0; level < levels; level++)
            {
                int w = Size(width, level), h = Size(height, level);
                for (int y = 0; y < h; y++)
                {
                    Span<float> row = plane.Slice(y * width, w);
                    Span<float> line = block.AsSpan(0, w);
                    Split(row, line, 1);
                    Analyze(line, w, 1);
                    line.CopyTo(row);
                }

                Span<float> rows = block.AsSpan(0, w * h);
                SplitRows(plane, width, rows, w, h);
                Analyze(rows, h, w);
                CopyRowsBack(rows, plane, width, w, h);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(block);
        }
    }

    public static void Inverse(Span<float> plane, int width, int height, int levels)
    {
        float[] block = ArrayPool<float>.Shared.Rent(width * height);
        try
        {
            for (int level = levels - 1; level >= 0; level--)
            {
                int w = Size(width, level), h = Size(height, level);
                Span<float> rows = block.AsSpan(0, w * h);
                for (int y = 0; y < h; y++)
                {
                    plane.Slice(y * width, w).CopyTo(rows.Slice(y * w, w));
                }

                Synthesize(rows, h, w);
                MergeRows(rows, plane, width, w, h);
                for (int y = 0; y < h; y++)
                {
                    Span<float> row = plane.Slice(y * width, w);
                    Span<float> line = block.AsSpan(0, w);
                    row.CopyTo(line);
                    Synthesize(line, w, 1);
                    Merge(line, row, 1);
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(block);
        }
    }

    /// <summary>
    /// One level of analysis of <paramref name="count"/> samples of <paramref name="lanes"/> floats each, already
    /// split (evens first, then odds); leaves low band then high band.
    /// </summary>
    internal static void Analyze(Span<float> samples, int count, int lanes)
    {
        if (count < 2)
        {
            return;
        }

        int evens = (count + 1) / 2;
        Span<float> s = samples[..(evens * lanes)];
        Span<float> d = samples.Slice(evens * lanes, (count - evens) * lanes);
        LiftOdd(s, d, lanes, Alpha);
        LiftEven(s, d, lanes, Beta);
        LiftOdd(s, d, lanes, Gamma);
        LiftEven(s, d, lanes, Delta);
        Scale(s, 1 / K);
        Scale(d, K);
    }

    /// <summary>Exact inverse of <see cref="Analyze"/>; the result is still split (evens first).</summary>
    internal static void Synthesize(Span<float> samples, int count, int lanes)
    {
        if (count < 2)
        {
            return;
        }

        int evens = (count + 1) / 2;
        Span<float> s = samples[..(evens * lanes)];
        Span<float> d = samples.Slice(evens * lanes, (count - evens) * lanes);
        Scale(s, K);
        Scale(d, 1 / K);
        LiftEven(s, d, lanes, -Delta);
        LiftOdd(s, d, lanes, -Gamma);
        LiftEven(s, d, lanes, -Beta);
        LiftOdd(s, d, lanes, -Alpha);
    }

    /// <summary>Evens of <paramref name="source"/> to the front of <paramref name="destination"/>, odds after them.</summary>
    internal static void Split(ReadOnlySpan<float> source, Span<float> destination, int lanes)
    {
        int count = source.Length / lanes, evens = (count + 1) / 2;
        if (lanes == 1)
        {
            for (int k = 0; k < count; k++)
            {
                destination[(k & 1) == 0 ? k >> 1 : evens + (k >> 1)] = source[k];
            }

            return;
        }

        for (int k = 0; k < count; k++)
        {
            int to = (k & 1) == 0 ? k / 2 : evens + (k / 2);
            source.Slice(k * lanes, lanes).CopyTo(destination.Slice(to * lanes, lanes));
        }
    }

    /// <summary>Inverse of <see cref="Split"/>.</summary>
    internal static void Merge(ReadOnlySpan<float> source, Span<float> destination, int lanes)
    {
        int count = source.Length / lanes, evens = (count + 1) / 2;
        if (lanes == 1)
        {
            for (int k = 0; k < count; k++)
            {
                destination[k] = source[(k & 1) == 0 ? k >> 1 : evens + (k >> 1)];
            }

            return;
        }

        for (int k = 0; k < count; k++)
        {
            int from = (k & 1) == 0 ? k / 2 : evens + (k / 2);
            source.Slice(from * lanes, lanes).CopyTo(destination.Slice(k * lanes, lanes));
        }
    }

    /// <summary>d[k] += c * (s[k] + s[k+1]), the missing right neighbour of an even-length line mirrored to s[k].</summary>
    private static void LiftOdd(Span<float> s, Span<float> d, int lanes, float c)
    {
        int evens = s.Length / lanes, odds = d.Length / lanes;
        int both = evens > odds ? odds : odds - 1;
        AddPair(d[..(both * lanes)], s[..(both * lanes)], s.Slice(lanes, both * lanes), c);
        if (evens == odds)
        {
            AddPair(d.Slice(both * lanes, lanes), s.Slice(both * lanes, lanes), s.Slice(both * lanes, lanes), c);
        }
    }

    /// <summary>s[k] += c * (d[k-1] + d[k]), mirrored at the start and, for odd lengths, at the end.</summary>
    private static void LiftEven(Span<float> s, Span<float> d, int lanes, float c)
    {
        int evens = s.Length / lanes, odds = d.Length / lanes;
        AddPair(s[..lanes], d[..lanes], d[..lanes], c);
        int both = Math.Min(evens, odds) - 1;
        AddPair(s.Slice(lanes, both * lanes), d[..(both * lanes)], d.Slice(lanes, both * lanes), c);
        if (evens > odds)
        {
            Span<float> last = d.Slice((odds - 1) * lanes, lanes);
            AddPair(s.Slice((evens - 1) * lanes, lanes), last, last, c);
        }
    }

    /// <summary>target += c * (a + b), vectorised.</summary>
    private static void AddPair(Span<float> target, ReadOnlySpan<float> a, ReadOnlySpan<float> b, float c)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && target.Length >= Vector<float>.Count)
        {
            var vc = new Vector<float>(c);
            Span<Vector<float>> t = MemoryMarshal.Cast<float, Vector<float>>(target);
            ReadOnlySpan<Vector<float>> va = MemoryMarshal.Cast<float, Vector<float>>(a);
            ReadOnlySpan<Vector<float>> vb = MemoryMarshal.Cast<float, Vector<float>>(b);
            for (int v = 0; v < t.Length; v++)
            {
                t[v] += vc * (va[v] + vb[v]);
            }

            i = t.Length * Vector<float>.Count;
        }

        for (; i < target.Length; i++)
        {
            target[i] += c * (a[i] + b[i]);
        }
    }

    private static void Scale(Span<float> values, float factor)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] *= factor;
        }
    }

    /// <summary>Copies the w x h region of the plane into a packed block with even rows first.</summary>
    private static void SplitRows(ReadOnlySpan<float> plane, int stride, Span<float> block, int w, int h)
    {
        int evens = (h + 1) / 2;
        for (int y = 0; y < h; y++)
        {
            int to = (y & 1) == 0 ? y / 2 : evens + (y / 2);
            plane.Slice(y * stride, w).CopyTo(block.Slice(to * w, w));
        }
    }

    private static void CopyRowsBack(ReadOnlySpan<float> block, Span<float> plane, int stride, int w, int h)
    {
        for (int y = 0; y < h; y++)
        {
            block.Slice(y * w, w).CopyTo(plane.Slice(y * stride, w));
        }
    }

    /// <summary>Inverse of <see cref="SplitRows"/> followed by <see cref="CopyRowsBack"/>.</summary>
    private static void MergeRows(ReadOnlySpan<float> block, Span<float> plane, int stride, int w, int h)
    {
        int evens = (h + 1) / 2;
        for (int y = 0; y < h; y++)
        {
            int from = (y & 1) == 0 ? y / 2 : evens + (y / 2);
            block.Slice(from * w, w).CopyTo(plane.Slice(y * stride, w));
        }
    }
}
