using MetaQap.Imaging.Distortions;
using MetaQap.Imaging.Pixels;
using MetaQap.Imaging.Pristine;

namespace MetaQap.Imaging.Tests.Distortions;

public sealed class DistorterTests
{
    private static readonly RgbImage Source = new DeadLeavesSource(1, 11).Sample(0, 64, 3).Image;

    public static TheoryData<DistortionType, int> EveryTypeAndLevel()
    {
        var data = new TheoryData<DistortionType, int>();
        foreach (DistortionType type in Enum.GetValues<DistortionType>())
        {
            for (int level = 1; level <= 5; level++)
            {
                data.Add(type, level);
            }
        }

        return data;
    }

    public static TheoryData<DistortionType> RandomTypes() =>
    [
        DistortionType.MotionBlur, DistortionType.ColorShift, DistortionType.WhiteNoise,
        DistortionType.WhiteNoiseColorComponent, DistortionType.ImpulseNoise, DistortionType.MultiplicativeNoise,
        DistortionType.Denoise, DistortionType.Jitter, DistortionType.NonEccentricityPatch, DistortionType.ColorBlock,
    ];

    [Theory]
    [MemberData(nameof(EveryTypeAndLevel))]
    public void Output_is_deterministic_in_range_finite_and_the_source_is_untouched(DistortionType type, int level)
    {
        float[] before = (float[])Source.Data.Clone();

        RgbImage first = Distorter.Apply(Source, type, level, seed: 42);
        RgbImage second = Distorter.Apply(Source, type, level, seed: 42);

        Assert.Equal(before, Source.Data);
        Assert.Equal((Source.Width, Source.Height), (first.Width, first.Height));
        Assert.Equal(first.Data, second.Data);
        Assert.All(first.Data, v => Assert.True(v is >= 0f and <= 1f, $"{v}"));
    }

    [Theory]
    [MemberData(nameof(RandomTypes))]
    public void Random_distortions_depend_on_the_seed(DistortionType type)
    {
        RgbImage a = Distorter.Apply(Source, type, 4, seed: 1);
        RgbImage b = Distorter.Apply(Source, type, 4, seed: 2);

        Assert.NotEqual(a.Data, b.Data);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(6)]
    public void Levels_outside_1_to_5_are_rejected(int level)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Distorter.Apply(Source, DistortionType.Jpeg, level, 0));
    }

    [Theory]
    [InlineData(DistortionType.MeanShift)]
    [InlineData(DistortionType.ContrastChange)]
    public void Level_3_of_the_two_sided_types_leaves_the_image_unchanged(DistortionType type)
    {
        RgbImage result = Distorter.Apply(Source, type, 3, 0);

        for (int i = 0; i < Source.Data.Length; i++)
        {
            Assert.Equal(Source.Data[i], result.Data[i], 1e-6f);
        }
    }

    [Fact]
    public void Impulse_noise_hits_about_the_requested_fraction_of_samples()
    {
        RgbImage flat = Flat(128, 0.5f);

        RgbImage noisy = Distorter.Apply(flat, DistortionType.ImpulseNoise, 5, 7); // density 0.03

        double fraction = noisy.Data.Count(v => v != 0.5f) / (double)noisy.Data.Length;
        Assert.InRange(fraction, 0.025, 0.035);
        Assert.All(noisy.Data.Where(v => v != 0.5f), v => Assert.True(v is 0f or 1f));
    }

    [Fact]
    public void White_noise_has_the_requested_variance()
    {
        RgbImage flat = Flat(128, 0.5f);

        RgbImage noisy = Distorter.Apply(flat, DistortionType.WhiteNoise, 5, 7); // variance 0.01

        double variance = noisy.Data.Select(v => (v - 0.5) * (v - 0.5)).Average();
        Assert.InRange(variance, 0.0095, 0.0105);
    }

    [Fact]
    public void Gaussian_blur_keeps_the_mean_and_removes_detail()
    {
        RgbImage blurred = Distorter.Apply(Source, DistortionType.GaussianBlur, 5, 0);

        Assert.Equal(Source.Data.Average(), blurred.Data.Average(), 0.01);
        Assert.True(Roughness(blurred) < Roughness(Source) / 3, $"{Roughness(blurred)} vs {Roughness(Source)}");
    }

    [Fact]
    public void Stronger_jpeg2000_ratios_lose_more_detail()
    {
        double[] errors = [.. Enumerable.Range(1, 5).Select(level =>
            MeanSquaredError(Source, Distorter.Apply(Source, DistortionType.Jpeg2000, level, 0)))];

        for (int i = 1; i < errors.Length; i++)
        {
            Assert.True(errors[i] > errors[i - 1], string.Join(", ", errors));
        }
    }

    [Fact]
    public void Saturation_changes_leave_grey_pixels_grey()
    {
        RgbImage grey = Flat(16, 0.4f);

        foreach (DistortionType type in new[] { DistortionType.ColorSaturation1, DistortionType.ColorSaturation2, DistortionType.ColorDiffusion })
        {
            RgbImage result = Distorter.Apply(grey, type, 5, 0);
            Assert.All(result.Data, v => Assert.Equal(0.4f, v, 2e-3f));
        }
    }

    internal static double MeanSquaredError(RgbImage a, RgbImage b) =>
        a.Data.Zip(b.Data, (x, y) => (double)(x - y) * (x - y)).Average();

    private static RgbImage Flat(int size, float value)
    {
        var image = new RgbImage(size, size);
        Array.Fill(image.Data, value);
        return image;
    }

    private static double Roughness(RgbImage image)
    {
        double sum = 0;
        ReadOnlySpan<float> g = image.ReadPlane(1);
        for (int i = 1; i < g.Length; i++)
        {
            sum += Math.Abs(g[i] - g[i - 1]);
        }

        return sum / g.Length;
    }
}
