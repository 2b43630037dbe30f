namespace MetaQap.Imaging.Distortions.Support;

/// <summary>
/// KADID's "curves" tone mapping: MATLAB spline() through control points from (0,0) to (1,1), evaluated per
/// sample and clipped to [0, 1]. spline() uses not-a-knot end conditions; with three points that is the
/// interpolating parabola, with more a cubic spline whose first and last two pieces share one cubic.
/// </summary>
internal sealed class ToneCurve
{
    private readonly double[] _knots;

    // Per piece: value, first, second and third derivative terms (c0 + c1 t + c2 t^2 + c3 t^3, t = x - knot).
    private readonly double[] _coefficients;

    private ToneCurve(double[] knots, double[] coefficients)
    {
        _knots = knots;
        _coefficients = coefficients;
    }

    /// <summary>brighten/darken: a parabola through (0,0), (0.5, middle), (1,1).</summary>
    public static ToneCurve ThroughMiddle(double middle) => FromPoints([0, 0.5, 1], [0, middle, 1]);

    /// <summary>imcontrastc: a spline through (0,0), (0.3, low), (0.5, 0.5), (0.7, high), (1,1).</summary>
    public static ToneCurve Contrast(double low, double high) => FromPoints([0, 0.3, 0.5, 0.7, 1], [0, low, 0.5, high, 1]);

    public static ToneCurve FromPoints(double[] x, double[] y)
    {
        if (x.Length != y.Length || x.Length < 3)
        {
            throw new ArgumentException("A tone curve needs at least three matching control points.", nameof(x));
        }

        double[] second = x.Length == 3 ? ParabolaSecondDerivatives(x, y) : NotAKnotSecondDerivatives(x, y);
        int pieces = x.Length - 1;
        var coefficients = new double[pieces * 4];
        for (int i = 0; i < pieces; i++)
        {
            double h = x[i + 1] - x[i];
            coefficients[(i * 4) + 0] = y[i];
            coefficients[(i * 4) + 1] = ((y[i + 1] - y[i]) / h) - (h * ((2 * second[i]) + second[i + 1]) / 6);
            coefficients[(i * 4) + 2] = second[i] / 2;
            coefficients[(i * 4) + 3] = (second[i + 1] - second[i]) / (6 * h);
        }

        return new ToneCurve(x, coefficients);
    }

    public float Evaluate(float value)
    {
        int piece = 0;
        while (piece < _knots.Length - 2 && value > _knots[piece + 1])
        {
            piece++;
        }

        double t = value - _knots[piece];
        int c = piece * 4;
        double result = _coefficients[c] + (t * (_coefficients[c + 1] + (t * (_coefficients[c + 2] + (t * _coefficients[c + 3])))));
        return (float)Math.Clamp(result, 0, 1);
    }

    /// <summary>
    /// Maps every sample through the curve via a 4097-entry table with linear interpolation; for these smooth,
    /// low-degree curves the interpolation error is below 1e-7, and a lookup is far cheaper than a piece search.
    /// </summary>
    public void Apply(Span<float> samples)
    {
        const int segments = 4096;
        Span<float> table = stackalloc float[segments + 1];
        for (int i = 0; i <= segments; i++)
        {
            table[i] = Evaluate((float)i / segments);
        }

        for (int i = 0; i < samples.Length; i++)
        {
            float position = Math.Clamp(samples[i], 0f, 1f) * segments;
            int index = Math.Min((int)position, segments - 1);
            samples[i] = table[index] + ((position - index) * (table[index + 1] - table[index]));
        }
    }

    private static double[] ParabolaSecondDerivatives(double[] x, double[] y)
    {
        // The parabola's constant second derivative: twice the second divided difference.
        double d1 = (y[1] - y[0]) / (x[1] - x[0]);
        double d2 = (y[2] - y[1]) / (x[2] - x[1]);
        double m = 2 * (d2 - d1) / (x[2] - x[0]);
        return [m, m, m];
    }

    /// <summary>Second derivatives at the knots: continuity equations inside, equal third derivatives at the ends.</summary>
    private static double[] NotAKnotSecondDerivatives(double[] x, double[] y)
    {
        int n = x.Length;
        var a = new double[n, n];
        var rhs = new double[n];
        double h0 = x[1] - x[0], h1 = x[2] - x[1];
        a[0, 0] = h1;
        a[0, 1] = -(h0 + h1);
        a[0, 2] = h0;
        for (int i = 1; i < n - 1; i++)
        {
            double hl = x[i] - x[i - 1], hr = x[i + 1] - x[i];
            a[i, i - 1] = hl;
            a[i, i] = 2 * (hl + hr);
            a[i, i + 1] = hr;
            rhs[i] = 6 * (((y[i + 1] - y[i]) / hr) - ((y[i] - y[i - 1]) / hl));
        }

        double hn2 = x[n - 2] - x[n - 3], hn1 = x[n - 1] - x[n - 2];
        a[n - 1, n - 3] = hn1;
        a[n - 1, n - 2] = -(hn2 + hn1);
        a[n - 1, n - 1] = hn2;
        return Solve(a, rhs);
    }

    private static double[] Solve(double[,] a, double[] b)
    {
        int n = b.Length;
        for (int col = 0; col < n; col++)
        {
            int pivot = col;
            for (int row = col + 1; row < n; row++)
            {
                if (Math.Abs(a[row, col]) > Math.Abs(a[pivot, col]))
                {
                    pivot = row;
                }
            }

            for (int k = 0; k < n; k++)
            {
                (a[col, k], a[pivot, k]) = (a[pivot, k], a[col, k]);
            }

            (b[col], b[pivot]) = (b[pivot], b[col]);
            for (int row = col + 1; row < n; row++)
            {
                double factor = a[row, col] / a[col, col];
                for (int k = col; k < n; k++)
                {
                    a[row, k] -= factor * a[col, k];
                }

                b[row] -= factor * b[col];
            }
        }

        var result = new double[n];
        for (int row = n - 1; row >= 0; row--)
        {
            double sum = b[row];
            for (int k = row + 1; k < n; k++)
            {
                sum -= a[row, k] * result[k];
            }

            result[row] = sum / a[row, row];
        }

        return result;
    }
}
