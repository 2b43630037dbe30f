using MetaQap.Imaging.Metrics;
using MetaQap.Imaging.Pixels;

namespace MetaQap.Imaging.Tests.Metrics;

public sealed class MultiScaleSsimTests
{
    [Theory]
    [InlineData(2000, 2000, 5)]
    [InlineData(176, 176, 5)] // 176 -> 88 -> 44 -> 22 -> 11
    [InlineData(161, 300, 5)] // 161 -> 81 -> 41 -> 21 -> 11
    [InlineData(160, 300, 4)] // 160 -> 80 -> 40 -> 20 -> 10
    [InlineData(96, 96, 4)]   // 96 -> 48 -> 24 -> 12 -> 6
    [InlineData(75, 97, 3)]   // 75 -> 38 -> 19 -> 10
    [InlineData(21, 21, 2)]   // 21 -> 11
    [InlineData(20, 20, 1)]   // 20 -> 10
    [InlineData(11, 11, 1)]
    public void Scale_count_is_the_most_scales_whose_coarsest_image_holds_the_window(int width, int height, int scales)
    {
        Assert.Equal(scales, MultiScaleSsim.ScaleCount(width, height));
    }

    [Fact]
    public void With_one_scale_ms_ssim_is_ssim()
    {
        RgbImage a = SyntheticImages.Scene(20, 19, seed: 1);
        RgbImage b = SyntheticImages.Noise(a, 0.05, seed: 2);

        Assert.Equal(FullReferenceMetrics.Ssim(a, b), FullReferenceMetrics.MsSsim(a, b), 1e-12);
    }

    [Theory]
    [InlineData(96, 96)]
    [InlineData(2000, 2000)]
    public void Small_and_large_images_give_a_score_in_range(int width, int height)
    {
        RgbImage a = SyntheticImages.Scene(width, height, seed: 4);
        RgbImage b = SyntheticImages.Noise(a, 0.05, seed: 5);

        FullReferenceScores scores = FullReferenceMetrics.Measure(a, b);

        Assert.InRange(scores.MsSsim, 0.5, 0.9999);
        Assert.InRange(scores.Ssim, 0.1, 0.9999);
        Assert.InRange(scores.Gmsd, 1e-4, 0.35);
    }

    [Fact]
    public void Anti_correlated_structure_gives_zero_instead_of_nan()
    {
        RgbImage a = SyntheticImages.Scene(64, 64, seed: 6);
        RgbImage inverted = a.Clone();
        for (int i = 0; i < inverted.Data.Length; i++)
        {
            inverted.Data[i] = 1 - inverted.Data[i];
        }

        Assert.Equal(0.0, FullReferenceMetrics.MsSsim(a, inverted));
    }
}
