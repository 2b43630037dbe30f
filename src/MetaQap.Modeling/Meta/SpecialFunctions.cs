namespace MetaQap.Modeling.Meta;

/// <summary>Log-gamma and the regularised incomplete beta function, for the F-test p-values of stepwise regression.</summary>
public static class SpecialFunctions
{
    // Lanczos approximation, g = 7, nine terms (Godfrey's coefficients); ~15 significant digits for x ≥ 0.5.
    private const double LanczosG = 7.0;

    private static readonly double[] s_lanczos =
    [
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
        12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
    ];

    private const int MaxContinuedFractionTerms = 100_000;
    private const double Epsilon = 1e-15;
    private const double Tiny = 1e-300;
    private const double StirlingThreshold = 10;

    /// <summary>ln Γ(x) for x &gt; 0.</summary>
    public static double LogGamma(double x)
    {
        if (!(x > 0) || double.IsPositiveInfinity(x))
        {
            throw new ArgumentOutOfRangeException(nameof(x), x, "LogGamma needs a finite positive argument.");
        }

        if (x < 0.5)
        {
            // Reflection: Γ(x) Γ(1 − x) = π / sin(πx).
            return Math.Log(Math.PI / Math.Sin(Math.PI * x)) - LogGamma(1 - x);
        }

        x -= 1;
        double sum = s_lanczos[0];
        for (int i = 1; i < s_lanczos.Length; i++)
        {
            sum += s_lanczos[i] / (x + i);
        }

        double t = x + LanczosG + 0.5;
        return (0.5 * Math.Log(2 * Math.PI)) + ((x + 0.5) * Math.Log(t)) - t + Math.Log(sum);
    }

    /// <summary>
    /// I_x(a, b) = B(x; a, b) / B(a, b) for a, b &gt; 0 and 0 ≤ x ≤ 1, by the continued fraction of
    /// Numerical Recipes (modified Lentz), evaluated on whichever side of the mean converges fast.
    /// </summary>
    public static double RegularizedIncompleteBeta(double a, double b, double x)
    {
        if (!(a > 0) || !(b > 0) || double.IsInfinity(a) || double.IsInfinity(b))
        {
            throw new ArgumentOutOfRangeException(nameof(a), $"Shape parameters must be finite and positive (a = {a}, b = {b}).");
        }

        if (!(x >= 0 && x <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(x), x, "x must lie in [0, 1].");
        }

        return RegularizedIncompleteBeta(a, b, x, 1 - x);
    }

    /// <summary>
    /// I_x(a, b) given both x and y = 1 − x. Callers that can form 1 − x without cancellation (the F
    /// distribution near x = 1, where large shapes amplify a rounding of x ~a-fold) pass it in.
    /// </summary>
    internal static double RegularizedIncompleteBeta(double a, double b, double x, double y)
    {
        if (x == 0 || y == 0)
        {
            return x == 0 ? 0 : 1;
        }

        double logX = x <= 0.5 ? Math.Log(x) : LogOnePlus(-y);
        double logY = y <= 0.5 ? Math.Log(y) : LogOnePlus(-x);
        double logFront = (a * logX) + (b * logY) - LogBeta(a, b);
        if (x < (a + 1) / (a + b + 2))
        {
            return Math.Exp(logFront) * ContinuedFraction(a, b, x) / a;
        }

        return 1 - (Math.Exp(logFront) * ContinuedFraction(b, a, y) / b);
    }

    /// <summary>ln(1 + x), accurate for tiny x (Goldberg's correction; .NET's LogP1 is the naive formula).</summary>
    internal static double LogOnePlus(double x)
    {
        double u = 1 + x;
        return u == 1 ? x : Math.Log(u) * x / (u - 1);
    }

    /// <summary>
    /// ln B(a, b). With a large argument, lnΓ(a) and lnΓ(a + b) are huge and nearly equal, so their difference
    /// would lose ~log10(lnΓ) digits; there we cancel the leading Stirling terms analytically and keep only the
    /// small remainders (the same arrangement as R's lbeta).
    /// </summary>
    internal static double LogBeta(double a, double b)
    {
        double p = Math.Min(a, b), q = Math.Max(a, b);
        if (q < StirlingThreshold)
        {
            return LogGamma(p) + LogGamma(q) - LogGamma(p + q);
        }

        double ratio = p / (p + q);
        if (p < StirlingThreshold)
        {
            double correction = StirlingRemainder(q) - StirlingRemainder(p + q);
            return LogGamma(p) + correction + p - (p * Math.Log(p + q)) + ((q - 0.5) * LogOnePlus(-ratio));
        }

        double corr = StirlingRemainder(p) + StirlingRemainder(q) - StirlingRemainder(p + q);
        return (-0.5 * Math.Log(q)) + (0.5 * Math.Log(2 * Math.PI)) + corr + ((p - 0.5) * Math.Log(ratio)) + (q * LogOnePlus(-ratio));
    }

    /// <summary>lnΓ(x) − [(x − ½) ln x − x + ½ ln 2π] by the Stirling series (x ≥ 10: the next term is below 1e-16).</summary>
    private static double StirlingRemainder(double x)
    {
        double inv = 1 / x, inv2 = inv * inv;
        return inv * ((1.0 / 12) - (inv2 * ((1.0 / 360) - (inv2 * ((1.0 / 1260) - (inv2 * ((1.0 / 1680)
            - (inv2 * ((1.0 / 1188) - (inv2 * ((691.0 / 360360) - (inv2 * (1.0 / 156)))))))))))));
    }

    private static double ContinuedFraction(double a, double b, double x)
    {
        double qab = a + b, qap = a + 1, qam = a - 1;
        double c = 1;
        double d = 1 - (qab * x / qap);
        d = 1 / (Math.Abs(d) < Tiny ? Tiny : d);
        double h = d;
        for (int m = 1; m <= MaxContinuedFractionTerms; m++)
        {
            int m2 = 2 * m;
            double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
            d = 1 + (aa * d);
            d = 1 / (Math.Abs(d) < Tiny ? Tiny : d);
            c = 1 + (aa / c);
            c = Math.Abs(c) < Tiny ? Tiny : c;
            h *= d * c;

            aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
            d = 1 + (aa * d);
            d = 1 / (Math.Abs(d) < Tiny ? Tiny : d);
            c = 1 + (aa / c);
            c = Math.Abs(c) < Tiny ? Tiny : c;
            double delta = d * c;
            h *= delta;
            if (Math.Abs(delta - 1) < Epsilon)
            {
                return h;
            }
        }

        throw new ArithmeticException($"Incomplete beta continued fraction did not converge (a = {a}, b = {b}, x = {x}).");
    }
}
