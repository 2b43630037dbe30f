using System.Buffers;
using System.Runtime.CompilerServices;
using MetaQap.Imaging.Pixels;

namespace MetaQap.Imaging.Distortions.Families;

/// <summary>
/// Cumulative moments (count, RGB sums, sum of squares) of a 32x32x32 colour histogram, so that the sums over any
/// box of cells cost eight lookups: the bookkeeping of Wu's colour quantiser. The five moments of a cell sit next
/// to each other, so building the histogram touches one cache line per pixel, not five.
/// </summary>
internal sealed class ColorMoments : IDisposable
{
    private const int Side = 33; // 32 cells per axis plus a zero plane for the cumulative sums
    private const int Cells = Side * Side * Side;
    private const int Stride = 5; // weight, sum R, sum G, sum B, sum of squares
    private const int Weight = 0, SumR = 1, SumG = 2, SumB = 3, SumSquares = 4;

    // Pooled: 1.4 MB per call would otherwise land on the large-object heap every time.
    private readonly double[] _table;

    private ColorMoments()
    {
        _table = ArrayPool<double>.Shared.Rent(Cells * Stride);
        Array.Clear(_table, 0, Cells * Stride);
    }

    /// <summary>The whole colour cube.</summary>
    public static ColorBox Everything => new(0, Side - 1, 0, Side - 1, 0, Side - 1);

    public static ColorMoments Build(RgbImage image)
    {
        var m = new ColorMoments();
        double[] t = m._table;
        ReadOnlySpan<float> r = image.ReadPlane(0), g = image.ReadPlane(1), b = image.ReadPlane(2);
        for (int i = 0; i < r.Length; i++)
        {
            int cell = Stride * Index(Cell(r[i]), Cell(g[i]), Cell(b[i]));
            t[cell + Weight]++;
            t[cell + SumR] += r[i];
            t[cell + SumG] += g[i];
            t[cell + SumB] += b[i];
            t[cell + SumSquares] += (r[i] * r[i]) + (g[i] * g[i]) + (b[i] * b[i]);
        }

        m.Accumulate();
        return m;
    }

    public void Dispose() => ArrayPool<double>.Shared.Return(_table);

    /// <summary>Mean colour of the pixels in the box.</summary>
    public (float R, float G, float B) Mean(ColorBox box)
    {
        double w = Volume(box, Weight);
        return ((float)(Volume(box, SumR) / w), (float)(Volume(box, SumG) / w), (float)(Volume(box, SumB) / w));
    }

    public double SquaredError(ColorBox box)
    {
        double w = Volume(box, Weight);
        return w <= 0 ? 0 : Volume(box, SumSquares) - (SquaredSum(box) / w);
    }

    /// <summary>Best cut over the three axes: the one maximising the halves' sum of squared mean sums over weights.</summary>
    public bool TryCut(ColorBox box, out ColorBox first, out ColorBox second)
    {
        first = second = box;
        double bestScore = double.NegativeInfinity;
        bool found = false;
        for (int axis = 0; axis < 3; axis++)
        {
            (int lo, int hi) = axis switch { 0 => (box.R0, box.R1), 1 => (box.G0, box.G1), _ => (box.B0, box.B1) };
            for (int cut = lo + 1; cut < hi; cut++)
            {
                ColorBox a = WithUpper(box, axis, cut), b = WithLower(box, axis, cut);
                double wa = Volume(a, Weight), wb = Volume(b, Weight);
                if (wa <= 0 || wb <= 0)
                {
                    continue;
                }

                double score = (SquaredSum(a) / wa) + (SquaredSum(b) / wb);
                if (score > bestScore)
                {
                    bestScore = score;
                    (first, second) = (a, b);
                    found = true;
                }
            }
        }

        return found;
    }

    private double SquaredSum(ColorBox box)
    {
        double r = Volume(box, SumR), g = Volume(box, SumG), b = Volume(box, SumB);
        return (r * r) + (g * g) + (b * b);
    }

    /// <summary>Inclusion–exclusion over the box's eight corners of the cumulative table.</summary>
    private double Volume(ColorBox box, int moment) =>
        At(box.R1, box.G1, box.B1, moment) - At(box.R1, box.G1, box.B0, moment) - At(box.R1, box.G0, box.B1, moment) + At(box.R1, box.G0, box.B0, moment)
        - At(box.R0, box.G1, box.B1, moment) + At(box.R0, box.G1, box.B0, moment) + At(box.R0, box.G0, box.B1, moment) - At(box.R0, box.G0, box.B0, moment);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private double At(int r, int g, int b, int moment) => _table[(Stride * Index(r, g, b)) + moment];

    private static ColorBox WithUpper(ColorBox box, int axis, int cut) => axis switch
    {
        0 => box with { R1 = cut },
        1 => box with { G1 = cut },
        _ => box with { B1 = cut },
    };

    private static ColorBox WithLower(ColorBox box, int axis, int cut) => axis switch
    {
        0 => box with { R0 = cut },
        1 => box with { G0 = cut },
        _ => box with { B0 = cut },
    };

    private static int Cell(float v) => Math.Clamp((int)(v * 32f), 0, 31) + 1;

    private static int Index(int r, int g, int b) => (((r * Side) + g) * Side) + b;

    /// <summary>In-place 3-D prefix sums of all five moments, one axis at a time (index 0 on each axis stays zero).</summary>
    private void Accumulate()
    {
        double[] t = _table;
        foreach (int step in new[] { Stride, Stride * Side, Stride * Side * Side })
        {
            for (int r = 1; r < Side; r++)
            {
                for (int g = 1; g < Side; g++)
                {
                    for (int b = 1; b < Side; b++)
                    {
                        int cell = Stride * Index(r, g, b);
                        for (int m = 0; m < Stride; m++)
                        {
                            t[cell + m] += t[cell + m - step];
                        }
                    }
                }
            }
        }
    }
}
