using MetaQap.Imaging.Metrics;
using MetaQap.Imaging.Pixels;

namespace MetaQap.Imaging.Tests.Metrics;

public sealed class FullReferenceMetricsTests
{
    // float32 here, float64 in the reference script; the largest difference seen is 2e-6.
    private const double ReferenceTolerance = 1e-5;

    // Values from `/usr/bin/python3 tools/reference/fr_metrics.py` (numpy 1.24.2, scipy 1.10.1, scikit-image 0.19.3):
    // SSIM is skimage.metrics.structural_similarity(gaussian_weights=True, sigma=1.5, use_sample_covariance=False,
    // data_range=1); MS-SSIM and GMSD are the script's numpy ports of msssim.m and GMSD.m.
    [Theory]
    [InlineData("large_ref", "large_blur1", 0.9202006072, 0.9893283381, 0.0383371479)] // 5 MS-SSIM scales
    [InlineData("large_ref", "large_blur3", 0.7109966421, 0.9051833345, 0.1641840204)] // 5 MS-SSIM scales
    [InlineData("large_ref", "large_bright", 0.8770575291, 0.9942515957, 0.0608776020)] // 5 MS-SSIM scales
    [InlineData("large_ref", "large_jpeg", 0.8281534013, 0.9617157675, 0.0726868105)] // 5 MS-SSIM scales
    [InlineData("large_ref", "large_noise", 0.6599387430, 0.9521527377, 0.0593628075)] // 5 MS-SSIM scales
    [InlineData("small_ref", "small_blur1", 0.8770498266, 0.9695106698, 0.0584300687)] // 3 MS-SSIM scales
    [InlineData("small_ref", "small_blur3", 0.5578104999, 0.7553037293, 0.1855666628)] // 3 MS-SSIM scales
    [InlineData("small_ref", "small_noise", 0.7735409412, 0.9594492826, 0.0378560409)] // 3 MS-SSIM scales
    public void Scores_match_the_python_reference(string referenceName, string distortedName, double ssim, double msSsim, double gmsd)
    {
        RgbImage reference = ReferenceImages.Load(referenceName);
        RgbImage distorted = ReferenceImages.Load(distortedName);

        FullReferenceScores scores = FullReferenceMetrics.Measure(reference, distorted);

        Assert.Equal(ssim, scores.Ssim, ReferenceTolerance);
        Assert.Equal(msSsim, scores.MsSsim, ReferenceTolerance);
        Assert.Equal(gmsd, scores.Gmsd, ReferenceTolerance);
        Assert.Equal(scores.Ssim, FullReferenceMetrics.Ssim(reference, distorted));
        Assert.Equal(scores.MsSsim, FullReferenceMetrics.MsSsim(reference, distorted));
        Assert.Equal(scores.Gmsd, FullReferenceMetrics.Gmsd(reference, distorted));
    }

    [Theory]
    [InlineData(11, 11)]
    [InlineData(96, 96)]
    [InlineData(97, 75)]
    [InlineData(224, 224)]
    [InlineData(640, 427)]
    public void Identical_images_score_perfectly(int width, int height)
    {
        RgbImage image = SyntheticImages.Scene(width, height, seed: 3);

        FullReferenceScores scores = FullReferenceMetrics.Measure(image, image.Clone());

        Assert.Equal(1.0, scores.Ssim);
        Assert.Equal(1.0, scores.MsSsim);
        Assert.Equal(0.0, scores.Gmsd);
    }

    [Fact]
    public void More_blur_scores_worse_on_every_metric()
    {
        RgbImage reference = SyntheticImages.Scene(128, 112, seed: 5);
        FullReferenceScores previous = FullReferenceMetrics.Measure(reference, reference);

        foreach (double sigma in new[] { 0.6, 1.2, 2.5, 5.0 })
        {
            FullReferenceScores scores = FullReferenceMetrics.Measure(reference, SyntheticImages.Blur(reference, sigma));

            Assert.True(scores.Ssim < previous.Ssim, $"SSIM at sigma {sigma}: {scores.Ssim} vs {previous.Ssim}");
            Assert.True(scores.MsSsim < previous.MsSsim, $"MS-SSIM at sigma {sigma}: {scores.MsSsim} vs {previous.MsSsim}");
            Assert.True(scores.Gmsd > previous.Gmsd, $"GMSD at sigma {sigma}: {scores.Gmsd} vs {previous.Gmsd}");
            previous = scores;
        }
    }

    [Fact]
    public void More_noise_scores_worse_on_every_metric()
    {
        RgbImage reference = SyntheticImages.Scene(128, 112, seed: 6);
        FullReferenceScores previous = FullReferenceMetrics.Measure(reference, reference);

        foreach (double sigma in new[] { 0.01, 0.03, 0.08, 0.2 })
        {
            FullReferenceScores scores = FullReferenceMetrics.Measure(reference, SyntheticImages.Noise(reference, sigma, seed: 11));

            Assert.True(scores.Ssim < previous.Ssim, $"SSIM at sigma {sigma}: {scores.Ssim} vs {previous.Ssim}");
            Assert.True(scores.MsSsim < previous.MsSsim, $"MS-SSIM at sigma {sigma}: {scores.MsSsim} vs {previous.MsSsim}");
            Assert.True(scores.Gmsd > previous.Gmsd, $"GMSD at sigma {sigma}: {scores.Gmsd} vs {previous.Gmsd}");
            previous = scores;
        }
    }

    [Fact]
    public void Every_metric_is_symmetric_in_its_two_images()
    {
        RgbImage a = SyntheticImages.Scene(101, 87, seed: 8);
        RgbImage b = SyntheticImages.Noise(SyntheticImages.Blur(a, 1.5), 0.05, seed: 9);

        Assert.Equal(FullReferenceMetrics.Measure(a, b), FullReferenceMetrics.Measure(b, a));
    }

    [Fact]
    public void Luma_overloads_agree_with_the_rgb_ones()
    {
        RgbImage a = SyntheticImages.Scene(64, 48, seed: 12);
        RgbImage b = SyntheticImages.Blur(a, 2);
        float[] x = a.ToLuma(), y = b.ToLuma();

        // The RGB overload adds the chroma term, which luma cannot carry; the luma metrics agree exactly.
        Assert.Equal(FullReferenceMetrics.Measure(a, b) with { ChromaDifference = 0 }, FullReferenceMetrics.Measure(x, y, 64, 48));
        Assert.Equal(FullReferenceMetrics.Ssim(a, b), FullReferenceMetrics.Ssim(x, y, 64, 48));
        Assert.Equal(FullReferenceMetrics.MsSsim(a, b), FullReferenceMetrics.MsSsim(x, y, 64, 48));
        Assert.Equal(FullReferenceMetrics.Gmsd(a, b), FullReferenceMetrics.Gmsd(x, y, 64, 48));
    }

    [Fact]
    public void Luma_is_bit_identical_to_RgbImage_ToLuma()
    {
        RgbImage image = SyntheticImages.Noise(SyntheticImages.Scene(37, 29, seed: 13), 0.1, seed: 14);
        var luma = new float[image.PlaneSize];

        Luma.Write(image, luma);

        Assert.Equal(image.ToLuma(), luma);
    }

    [Fact]
    public void Mismatched_sizes_throw_ArgumentException()
    {
        var reference = new RgbImage(64, 64);

        Assert.Throws<ArgumentException>(() => FullReferenceMetrics.Measure(reference, new RgbImage(64, 63)));
        Assert.Throws<ArgumentException>(() => FullReferenceMetrics.Ssim(reference, new RgbImage(63, 64)));
        Assert.Throws<ArgumentException>(() => FullReferenceMetrics.MsSsim(reference, new RgbImage(32, 32)));
        Assert.Throws<ArgumentException>(() => FullReferenceMetrics.Gmsd(reference, new RgbImage(65, 64)));
        Assert.Throws<ArgumentException>(() => FullReferenceMetrics.Ssim(new float[64 * 64], new float[64 * 63], 64, 64));
        Assert.Throws<ArgumentException>(() => FullReferenceMetrics.Gmsd(new float[64 * 63], new float[64 * 64], 64, 64));
    }

    [Theory]
    [InlineData(10, 64)]
    [InlineData(64, 10)]
    public void Images_smaller_than_the_ssim_window_throw_ArgumentException(int width, int height)
    {
        var image = new RgbImage(width, height);

        Assert.Throws<ArgumentException>(() => FullReferenceMetrics.Measure(image, image));
        Assert.Throws<ArgumentException>(() => FullReferenceMetrics.Gmsd(image, image));
    }

    [Fact]
    public void Null_images_throw_ArgumentNullException()
    {
        var image = new RgbImage(16, 16);

        Assert.Throws<ArgumentNullException>(() => FullReferenceMetrics.Measure(null!, image));
        Assert.Throws<ArgumentNullException>(() => FullReferenceMetrics.Measure(image, null!));
    }
}
