using MetaQap.Imaging.Pristine;

namespace MetaQap.Imaging.Tests.Pristine;

public sealed class PowerLawTests
{
    [Theory]
    [InlineData(3f)]
    [InlineData(2f)]
    [InlineData(1f)]
    [InlineData(2.5f)]
    public void Samples_follow_the_power_law_cdf(float exponent)
    {
        const float min = 0.01f, max = 0.5f;
        var law = new PowerLaw(min, max, exponent);
        var rng = new SplitMix64(11);
        const int count = 100_000;
        float[] probes = [0.02f, 0.05f, 0.2f];
        var below = new int[probes.Length];

        for (int i = 0; i < count; i++)
        {
            float r = law.Sample(rng.NextFloat());
            Assert.InRange(r, min, max);
            for (int p = 0; p < probes.Length; p++)
            {
                below[p] += r < probes[p] ? 1 : 0;
            }
        }

        for (int p = 0; p < probes.Length; p++)
        {
            Assert.Equal(Cdf(probes[p], min, max, exponent), (double)below[p] / count, 0.006);
        }
    }

    [Fact]
    public void Mass_is_the_integral_of_the_density()
    {
        Assert.Equal((1.0 / 0.01) - (1.0 / 0.5), new PowerLaw(0.01f, 0.5f, 2f).Mass, 0.01);
        Assert.Equal(Math.Log(50), new PowerLaw(0.01f, 0.5f, 1f).Mass, 1e-5);
    }

    private static double Cdf(double r, double min, double max, double p) => p == 1
        ? Math.Log(r / min) / Math.Log(max / min)
        : (Math.Pow(r, 1 - p) - Math.Pow(min, 1 - p)) / (Math.Pow(max, 1 - p) - Math.Pow(min, 1 - p));
}
