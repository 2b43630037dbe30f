using MetaQap.Imaging.Distortions;
using MetaQap.Imaging.Pixels;

namespace MetaQap.Imaging.Tests.Distortions;

public sealed class DistorterTests
{
    private static readonly RgbImage s_source = TestImages.Pattern();

    private static readonly RgbImage s_large = TestImages.Pattern(160, 160);

    // Quality falls with level, but pixel MSE does not follow it: nearest-neighbour rescaling by 0.70 can land
    // closer to the source grid than by 0.78 (pixelate), and full desaturation to V = max(R, G, B) at level 4 is
    // further in RGB than level 5's dimmed, re-stretched complementary hue (colour saturation 1).
    private static readonly DistortionType[] s_mseNotOrderedByLevel = [DistortionType.Pixelate, DistortionType.ColorSaturation1];

    private static readonly DistortionType[] s_randomTypes =
    [
        DistortionType.MotionBlur, DistortionType.ColorShift, DistortionType.WhiteNoise,
        DistortionType.WhiteNoiseColorComponent, DistortionType.ImpulseNoise, DistortionType.MultiplicativeNoise,
        DistortionType.Denoise, DistortionType.Jitter, DistortionType.NonEccentricityPatch, DistortionType.ColorBlock,
    ];

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

    public static TheoryData<DistortionType> EveryType() => new(Enum.GetValues<DistortionType>());

    [Theory]
    [MemberData(nameof(EveryTypeAndLevel))]
    public void Output_is_identical_for_the_same_seed(DistortionType type, int level)
    {
        RgbImage first = Distorter.Apply(s_source, type, level, seed: 11);
        RgbImage second = Distorter.Apply(s_source, type, level, seed: 11);

        Assert.Equal(first.Data, second.Data);
    }

    [Theory]
    [MemberData(nameof(EveryTypeAndLevel))]
    public void Output_has_the_source_size_and_finite_samples_in_range(DistortionType type, int level)
    {
        RgbImage output = Distorter.Apply(s_source, type, level, seed: 3);

        Assert.Equal(s_source.Width, output.Width);
        Assert.Equal(s_source.Height, output.Height);
        Assert.All(output.Data, v => Assert.True(v is >= 0f and <= 1f, $"sample {v} outside [0, 1]"));
    }

    [Theory]
    [MemberData(nameof(EveryTypeAndLevel))]
    public void Source_is_not_modified(DistortionType type, int level)
    {
        RgbImage source = TestImages.Pattern();
        float[] before = (float[])source.Data.Clone();

        RgbImage output = Distorter.Apply(source, type, level, seed: 5);

        Assert.Equal(before, source.Data);
        Assert.NotSame(source.Data, output.Data);
    }

    [Theory]
    [MemberData(nameof(EveryType))]
    public void Random_types_depend_on_the_seed_and_the_others_do_not(DistortionType type)
    {
        RgbImage one = Distorter.Apply(s_source, type, level: 5, seed: 1);
        RgbImage two = Distorter.Apply(s_source, type, level: 5, seed: 2);

        if (s_randomTypes.Contains(type))
        {
            Assert.NotEqual(one.Data, two.Data);
        }
        else
        {
            Assert.Equal(one.Data, two.Data);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(6)]
    [InlineData(-1)]
    public void Level_outside_one_to_five_is_rejected(int level)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Distorter.Apply(s_source, DistortionType.GaussianBlur, level, seed: 0));
    }

    [Fact]
    public void Unknown_type_is_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Distorter.Apply(s_source, (DistortionType)26, 1, seed: 0));
    }

    [Theory]
    [MemberData(nameof(EveryType))]
    public void Distortion_grows_with_level_where_quality_falls_with_level(DistortionType type)
    {
        if (!DistortionCatalog.Get(type).QualityFallsWithLevel)
        {
            return;
        }

        // 160 px and four seeds: on smaller images the 32 px colour blocks and 12 px colour shift saturate, and
        // single draws of the random types are too noisy for a level-by-level comparison.
        double[] mse = new double[5];
        for (int level = 1; level <= 5; level++)
        {
            for (int seed = 1; seed <= 4; seed++)
            {
                mse[level - 1] += TestImages.MeanSquaredDifference(s_large, Distorter.Apply(s_large, type, level, seed)) / 4;
            }
        }

        string trace = $"{type}: MSE by level {string.Join(", ", mse)}";
        Assert.True(mse[4] > mse[0], trace);
        if (s_mseNotOrderedByLevel.Contains(type))
        {
            return;
        }

        for (int level = 2; level <= 5; level++)
        {
            Assert.True(mse[level - 1] >= mse[level - 2], $"{trace} falls at level {level}");
        }
    }

    [Fact]
    public void Mean_shift_level_three_leaves_the_image_unchanged()
    {
        RgbImage output = Distorter.Apply(s_source, DistortionType.MeanShift, 3, seed: 0);

        Assert.True(TestImages.MeanSquaredDifference(s_source, output) < 1e-12);
    }

    [Fact]
    public void Mean_shift_brightens_at_low_levels_and_darkens_at_high_levels()
    {
        double Mean(RgbImage image) => image.Data.Average();

        double source = Mean(s_source);
        Assert.True(Mean(Distorter.Apply(s_source, DistortionType.MeanShift, 1, 0)) > source);
        Assert.True(Mean(Distorter.Apply(s_source, DistortionType.MeanShift, 5, 0)) < source);
    }

    [Fact]
    public void Low_contrast_source_keeps_its_range()
    {
        var source = TestImages.Pattern();
        Span<float> data = source.Data;
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = 0.3f + (0.4f * data[i]);
        }

        RgbImage output = Distorter.Apply(source, DistortionType.GaussianBlur, 3, seed: 0);

        Assert.Equal(0.3f, output.Data.Min(), 4);
        Assert.Equal(0.7f, output.Data.Max(), 4);
    }

    [Fact]
    public void Constant_image_stays_finite_for_every_distortion()
    {
        var flat = new RgbImage(40, 30);
        Array.Fill(flat.Data, 0.5f);

        foreach (DistortionType type in Enum.GetValues<DistortionType>())
        {
            RgbImage output = Distorter.Apply(flat, type, 5, seed: 1);
            Assert.All(output.Data, v => Assert.True(v is >= 0f and <= 1f, $"{type}: sample {v}"));
        }
    }

    [Fact]
    public void Tiny_images_are_distorted_without_error()
    {
        foreach ((int w, int h) in new[] { (1, 1), (3, 2), (17, 9) })
        {
            RgbImage source = TestImages.Pattern(Math.Max(w, 2), Math.Max(h, 2));
            RgbImage small = w == source.Width && h == source.Height ? source : Crop(source, w, h);
            foreach (DistortionType type in Enum.GetValues<DistortionType>())
            {
                RgbImage output = Distorter.Apply(small, type, 5, seed: 1);
                Assert.Equal((w, h), (output.Width, output.Height));
                Assert.All(output.Data, v => Assert.True(v is >= 0f and <= 1f, $"{type} {w}x{h}: sample {v}"));
            }
        }
    }

    private static RgbImage Crop(RgbImage source, int width, int height)
    {
        var crop = new RgbImage(width, height);
        for (int c = 0; c < RgbImage.Channels; c++)
        {
            for (int y = 0; y < height; y++)
            {
                for (int x = 0; x < width; x++)
                {
                    crop[c, y, x] = source[c, y, x];
                }
            }
        }

        return crop;
    }
}
