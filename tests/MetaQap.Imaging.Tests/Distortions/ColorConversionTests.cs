using MetaQap.Imaging.Distortions.Support;
using MetaQap.Imaging.Pixels;

namespace MetaQap.Imaging.Tests.Distortions;

/// <summary>Expected values: tools/reference/distortion_reference.py, sections "lab", "hsv" and "ycbcr".</summary>
public sealed class ColorConversionTests
{
    [Theory]
    [InlineData(0.0f, 0.0f, 0.0f, 0.0000, 0.0000, 0.0000)]
    [InlineData(1.0f, 1.0f, 1.0f, 100.0000, -0.0025, 0.0047)]
    [InlineData(1.0f, 0.0f, 0.0f, 53.2406, 80.0923, 67.2028)]
    [InlineData(0.2f, 0.6f, 0.4f, 56.5298, -41.5097, 18.4527)]
    [InlineData(0.9f, 0.8f, 0.1f, 81.8391, -6.9674, 79.4503)]
    [InlineData(0.3f, 0.3f, 0.9f, 41.9660, 46.7784, -77.3427)]
    public void Lab_matches_scikit_image(float r, float g, float b, double l, double a, double bb)
    {
        var image = Pixel(r, g, b);
        Span<float> lab = stackalloc float[3];

        LabConversion.ToLab(image, lab[..1], lab.Slice(1, 1), lab.Slice(2, 1));

        Assert.Equal(l, lab[0], 0.01);
        Assert.Equal(a, lab[1], 0.02);
        Assert.Equal(bb, lab[2], 0.02);
    }

    [Fact]
    public void Lab_round_trip_returns_the_colour()
    {
        RgbImage image = TestImages.Pattern(32, 32);
        int n = image.PlaneSize;
        var lab = new float[3 * n];
        var back = new RgbImage(32, 32);

        LabConversion.ToLab(image, lab.AsSpan(0, n), lab.AsSpan(n, n), lab.AsSpan(2 * n, n));
        LabConversion.ToRgb(lab.AsSpan(0, n), lab.AsSpan(n, n), lab.AsSpan(2 * n, n), back);

        Assert.True(TestImages.MeanSquaredDifference(image, back) < 1e-8);
    }

    [Theory]
    [InlineData(1.0f, 0.0f, 0.0f, 0.000000, 1.000000, 1.000000)]
    [InlineData(0.2f, 0.6f, 0.4f, 0.416667, 0.666667, 0.600000)]
    [InlineData(0.9f, 0.8f, 0.1f, 0.145833, 0.888889, 0.900000)]
    [InlineData(0.3f, 0.3f, 0.9f, 0.666667, 0.666667, 0.900000)]
    public void Hsv_matches_scikit_image_and_weights_rebuild_the_colour(float r, float g, float b, double h, double s, double v)
    {
        HsvConversion.ToHsv(r, g, b, out float hh, out float ss, out float vv);
        HsvConversion.Weights(hh, ss, out float wr, out float wg, out float wb);

        Assert.Equal(h, hh, 1e-5);
        Assert.Equal(s, ss, 1e-5);
        Assert.Equal(v, vv, 1e-6);
        Assert.Equal(r, wr * vv, 1e-5);
        Assert.Equal(g, wg * vv, 1e-5);
        Assert.Equal(b, wb * vv, 1e-5);
    }

    [Theory]
    [InlineData(1.0f, 0.0f, 0.0f, 0.319533, 0.353737, 0.941176)]
    [InlineData(0.2f, 0.6f, 0.4f, 0.455743, 0.473407, 0.340560)]
    [InlineData(0.9f, 0.8f, 0.1f, 0.706949, 0.179687, 0.595882)]
    [InlineData(0.3f, 0.3f, 0.9f, 0.379136, 0.765490, 0.459104)]
    public void Studio_range_ycbcr_matches_scikit_image_and_inverts(float r, float g, float b, double y, double cb, double cr)
    {
        (float yy, float cbb, float crr) = YCbCrConversion.FromRgb(r, g, b);
        (float rr, float gg, float bb) = YCbCrConversion.ToRgb(yy, cbb, crr);

        Assert.Equal(y, yy, 1e-5);
        Assert.Equal(cb, cbb, 1e-5);
        Assert.Equal(cr, crr, 1e-5);
        Assert.Equal(r, rr, 1e-4);
        Assert.Equal(g, gg, 1e-4);
        Assert.Equal(b, bb, 1e-4);
    }

    private static RgbImage Pixel(float r, float g, float b) => new(1, 1, [r, g, b]);
}
