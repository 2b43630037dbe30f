namespace MetaQap.Modeling.Meta;

/// <summary>Fisher–Snedecor F distribution with d1 and d2 degrees of freedom.</summary>
public static class FDistribution
{
    /// <summary>P(F ≤ f).</summary>
    public static double Cdf(double f, double d1, double d2) => 1 - Sf(f, d1, d2);

    /// <summary>
    /// Upper tail P(F &gt; f) = I_{d2/(d2 + d1·f)}(d2/2, d1/2), computed directly (not as 1 − CDF) so that the
    /// tiny p-values of strong predictors keep their relative precision.
    /// </summary>
    public static double Sf(double f, double d1, double d2)
    {
        if (!(d1 > 0) || !(d2 > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(d1), $"Degrees of freedom must be positive (d1 = {d1}, d2 = {d2}).");
        }

        if (double.IsNaN(f))
        {
            throw new ArgumentOutOfRangeException(nameof(f), f, "F statistic is NaN.");
        }

        if (f <= 0)
        {
            return 1;
        }

        if (double.IsPositiveInfinity(f))
        {
            return 0;
        }

        double denominator = d2 + (d1 * f);
        return SpecialFunctions.RegularizedIncompleteBeta(d2 / 2, d1 / 2, d2 / denominator, d1 * f / denominator);
    }
}
