using MetaQap.Modeling.Meta;

namespace MetaQap.Modeling.Tests.Meta;

public sealed class SpecialFunctionsTests
{
    // Expected values from  /usr/bin/python3 tools/reference/meta_stepwise.py : the mpmath (40-digit) column,
    // which scipy 1.10.1's gammaln, betaln, betainc and stats.f.sf match to ~1e-12 relative, except for shapes
    // ≥ 2500, where scipy's betaln = lgam(a) + lgam(b) − lgam(a + b) loses ~1e-11 to cancellation and its
    // betainc/f.sf are off by ~1e-10 relative (f.sf(3.85, 1, 99998) = 0.04974875986282177 in scipy vs
    // 0.04974875986631654 exact). Those rows are what LogBeta's Stirling arrangement is for.
    [Theory]
    [InlineData(0.5, 0.5723649429247001)]
    [InlineData(1.0, 0.0)]
    [InlineData(1.5, -0.12078223763524522)]
    [InlineData(2.5, 0.2846828704729192)]
    [InlineData(7.3, 7.147892523022248)]
    [InlineData(33.0, 81.55795945611504)]
    [InlineData(1234.5, 7550.550901077895)]
    [InlineData(50000.0, 490984.4232715718)]
    public void LogGamma_matches_scipy_gammaln(double x, double expected)
    {
        Assert.Equal(expected, SpecialFunctions.LogGamma(x), Math.Max(1e-14, Math.Abs(expected) * 1e-14));
    }

    [Theory]
    [InlineData(0.5, 50000.0, -4.837521699280441)]
    [InlineData(2.5, 12.0, -6.07577512534228)]
    [InlineData(30.0, 45.0, -50.99860397966198)]
    [InlineData(10000.0, 30000.0, -22496.948166341113)]
    [InlineData(3.0, 4.0, -4.0943445622221)]
    public void LogBeta_matches_scipy_betaln_even_for_large_shapes(double a, double b, double expected)
    {
        Assert.Equal(expected, SpecialFunctions.LogBeta(a, b), Math.Abs(expected) * 1e-14);
        Assert.Equal(expected, SpecialFunctions.LogBeta(b, a), Math.Abs(expected) * 1e-14);
    }

    [Theory]
    [InlineData(0.5, 0.5, 0.3, 0.36901011956554536)]
    [InlineData(2.0, 3.0, 0.4, 0.5248)]
    [InlineData(5.0, 0.5, 0.9, 0.3166429150200123)]
    [InlineData(0.5, 5.0, 0.01, 0.2428418908984375)]
    [InlineData(10.0, 10.0, 0.5, 0.5)]
    [InlineData(30.0, 0.5, 0.2, 1.2265219714158838e-22)]
    [InlineData(2500.0, 0.5, 0.999, 0.02531802456488753)]
    [InlineData(50000.0, 0.5, 0.9999, 0.0015650197621734948)]
    [InlineData(0.5, 50000.0, 1e-05, 0.6826894921431352)]
    [InlineData(1.0, 1.0, 0.77, 0.77)]
    public void RegularizedIncompleteBeta_matches_scipy_betainc(double a, double b, double x, double expected)
    {
        Assert.Equal(expected, SpecialFunctions.RegularizedIncompleteBeta(a, b, x), expected * 1e-12);
    }

    [Theory]
    [InlineData(0.5, 1, 10, 0.49564750438311994)]
    [InlineData(3.0, 1, 20, 0.09866044654890507)]
    [InlineData(4.0, 2, 30, 0.028844623295696828)]
    [InlineData(10.0, 1, 100, 0.0020728725808666633)]
    [InlineData(0.01, 1, 5, 0.9242301411546604)]
    [InlineData(50.0, 1, 1000, 2.884146857172615e-12)]
    [InlineData(3.85, 1, 99998, 0.04974875986631654)]
    [InlineData(200.0, 1, 50, 4.192027733793485e-19)]
    [InlineData(1.0, 3, 3, 0.5)]
    public void F_survival_function_matches_scipy_f_sf(double f, double d1, double d2, double expected)
    {
        // 1e-11: at (3.85, 1, 99998) x sits just below the continued fraction's switch point a/(a+b), where
        // the Lentz recursion keeps only ~12 digits (3e-12 measured); p-values are compared with 0.05.
        Assert.Equal(expected, FDistribution.Sf(f, d1, d2), expected * 1e-11);
        Assert.Equal(1 - expected, FDistribution.Cdf(f, d1, d2), 1e-12);
    }

    [Fact]
    public void Incomplete_beta_obeys_its_reflection_identity()
    {
        foreach ((double a, double b, double x) in new[] { (0.7, 3.2, 0.15), (12.0, 1.5, 0.93), (40.0, 45.0, 0.47) })
        {
            double left = SpecialFunctions.RegularizedIncompleteBeta(a, b, x);
            double right = 1 - SpecialFunctions.RegularizedIncompleteBeta(b, a, 1 - x);
            Assert.Equal(left, right, 1e-13);
        }
    }

    [Fact]
    public void F_survival_function_handles_the_ends_of_its_domain()
    {
        Assert.Equal(1.0, FDistribution.Sf(0, 1, 10));
        Assert.Equal(0.0, FDistribution.Sf(double.PositiveInfinity, 1, 10));
    }

    [Fact]
    public void Invalid_arguments_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SpecialFunctions.LogGamma(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => SpecialFunctions.RegularizedIncompleteBeta(-1, 2, 0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => SpecialFunctions.RegularizedIncompleteBeta(1, 2, 1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => FDistribution.Sf(double.NaN, 1, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => FDistribution.Sf(1, 0, 2));
    }
}
