using MetaQap.Imaging.Distortions.Support;

namespace MetaQap.Imaging.Tests.Distortions;

public sealed class DistortionRandomTests
{
    [Fact]
    public void Same_seed_and_stream_repeat_and_another_stream_differs()
    {
        var a = new DistortionRandom(5, 1);
        var b = new DistortionRandom(5, 1);
        var c = new DistortionRandom(5, 2);

        ulong[] first = Enumerable.Range(0, 8).Select(_ => a.NextUInt64()).ToArray();
        Assert.Equal(first, Enumerable.Range(0, 8).Select(_ => b.NextUInt64()));
        Assert.NotEqual(first, Enumerable.Range(0, 8).Select(_ => c.NextUInt64()));
    }

    [Fact]
    public void Gaussian_has_unit_variance_and_normal_tails()
    {
        var random = new DistortionRandom(1, 0);
        const int count = 400_000;
        double sum = 0, squares = 0;
        int beyond3 = 0, beyond35 = 0;
        for (int i = 0; i < count; i++)
        {
            double x = random.NextGaussianSingle();
            sum += x;
            squares += x * x;
            beyond3 += Math.Abs(x) > 3 ? 1 : 0;
            beyond35 += Math.Abs(x) > 3.5 ? 1 : 0; // beyond the ziggurat's base layer: the tail sampler
        }

        double mean = sum / count;
        Assert.Equal(0, mean, 0.01);
        Assert.Equal(1, (squares / count) - (mean * mean), 0.015);
        Assert.Equal(0.0026998 * count, beyond3, 0.12 * 0.0026998 * count);
        Assert.Equal(0.00046525 * count, beyond35, 0.3 * 0.00046525 * count);
    }

    [Fact]
    public void Uniforms_stay_in_range_and_integers_reach_both_bounds()
    {
        var random = new DistortionRandom(9, 3);
        var seen = new bool[181];
        for (int i = 0; i < 20_000; i++)
        {
            double u = random.NextDouble();
            Assert.InRange(u, 0.0, 0.9999999999);
            seen[random.NextInt(0, 180)] = true;
        }

        Assert.All(seen, Assert.True);
    }
}
