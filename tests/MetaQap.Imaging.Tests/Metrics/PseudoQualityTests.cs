using MetaQap.Imaging.Metrics;

namespace MetaQap.Imaging.Tests.Metrics;

public sealed class PseudoQualityTests
{
    private static readonly double[] s_ssims = [-1, -0.2, 0, 0.3, 0.5, 0.7, 0.85, 0.95, 0.99, 0.999, 1];
    private static readonly double[] s_msSsims = [0, 0.2, 0.5, 0.7, 0.85, 0.95, 0.99, 0.999, 1];
    private static readonly double[] s_gmsds = [0, 0.001, 0.01, 0.03, 0.06, 0.1, 0.2, 0.35, 1];

    [Fact]
    public void Identical_images_get_one_hundred()
    {
        Assert.Equal(100.0, PseudoQuality.FromScores(new FullReferenceScores(1, 1, 0)));
    }

    [Fact]
    public void Identical_images_measured_end_to_end_get_one_hundred()
    {
        var image = SyntheticImages.Scene(48, 40, seed: 2);

        Assert.Equal(100.0, PseudoQuality.FromScores(FullReferenceMetrics.Measure(image, image.Clone())));
    }

    [Fact]
    public void Every_combination_stays_in_zero_to_one_hundred()
    {
        foreach (double ssim in s_ssims)
        {
            foreach (double msSsim in s_msSsims)
            {
                foreach (double gmsd in s_gmsds)
                {
                    Assert.InRange(PseudoQuality.FromScores(new FullReferenceScores(ssim, msSsim, gmsd)), 0, 100);
                }
            }
        }
    }

    [Fact]
    public void Quality_rises_strictly_with_ssim()
    {
        AssertStrictlyIncreasing(s_ssims, v => PseudoQuality.FromScores(new FullReferenceScores(v, 0.9, 0.1)));
    }

    [Fact]
    public void Quality_rises_strictly_with_ms_ssim()
    {
        AssertStrictlyIncreasing(s_msSsims, v => PseudoQuality.FromScores(new FullReferenceScores(0.8, v, 0.1)));
    }

    [Fact]
    public void Quality_falls_strictly_with_gmsd()
    {
        double[] descending = [.. s_gmsds.Reverse()];
        AssertStrictlyIncreasing(descending, v => PseudoQuality.FromScores(new FullReferenceScores(0.8, 0.9, v)));
    }

    [Fact]
    public void Typical_distortions_spread_over_the_scale()
    {
        // Median scores of Gaussian blur sigma 0.5 and sigma 3 in the calibration sweep
        // (tools/reference/calibrate_pseudo_quality.py): 95.3 and 23.6 there. Mild must stay high, severe low.
        double mild = PseudoQuality.FromScores(new FullReferenceScores(0.9906, 0.9987, 0.0035));
        double severe = PseudoQuality.FromScores(new FullReferenceScores(0.680, 0.880, 0.157));

        Assert.InRange(mild, 90, 99);
        Assert.InRange(severe, 15, 30);
    }

    [Fact]
    public void Slight_rounding_above_a_perfect_score_counts_as_perfect()
    {
        Assert.Equal(100.0, PseudoQuality.FromScores(new FullReferenceScores(1 + 1e-9, 1 + 1e-9, 0)));
    }

    [Theory]
    [InlineData(double.NaN, 1, 0)]
    [InlineData(1, double.NaN, 0)]
    [InlineData(1, 1, double.PositiveInfinity)]
    public void Non_finite_scores_throw_ArgumentException(double ssim, double msSsim, double gmsd)
    {
        Assert.Throws<ArgumentException>(() => PseudoQuality.FromScores(new FullReferenceScores(ssim, msSsim, gmsd)));
    }

    private static void AssertStrictlyIncreasing(double[] inputs, Func<double, double> quality)
    {
        for (int i = 1; i < inputs.Length; i++)
        {
            double before = quality(inputs[i - 1]), after = quality(inputs[i]);
            Assert.True(after > before, $"quality({inputs[i]}) = {after} is not above quality({inputs[i - 1]}) = {before}");
        }
    }
}
