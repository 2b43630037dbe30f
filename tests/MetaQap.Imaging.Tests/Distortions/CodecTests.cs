using MetaQap.Imaging.Distortions;
using MetaQap.Imaging.Distortions.Families;
using MetaQap.Imaging.Pixels;

namespace MetaQap.Imaging.Tests.Distortions;

/// <summary>
/// The codecs against the reference encoders on the same 256x256 images: tools/reference/pattern256.png
/// (TestImages.Pattern(256, 256) in 8 bits) and astronaut256.png (a photograph). Expected PSNRs:
/// tools/reference/distortion_reference.py, section "codecs" (libjpeg and OpenJPEG through Pillow).
/// </summary>
public sealed class CodecTests
{
    private static readonly RgbImage s_pattern = TestImages.Reference("pattern256.png");

    [Theory]
    [InlineData("pattern256.png", 43, 30.99)]
    [InlineData("pattern256.png", 36, 30.38)]
    [InlineData("pattern256.png", 24, 29.24)]
    [InlineData("pattern256.png", 7, 25.34)]
    [InlineData("pattern256.png", 4, 22.79)]
    [InlineData("astronaut256.png", 43, 30.08)]
    [InlineData("astronaut256.png", 36, 29.54)]
    [InlineData("astronaut256.png", 24, 28.26)]
    [InlineData("astronaut256.png", 7, 23.84)]
    [InlineData("astronaut256.png", 4, 21.60)]
    public void Jpeg_round_trip_matches_libjpeg_at_the_same_quality(string image, int quality, double libjpegPsnr)
    {
        RgbImage source = TestImages.Reference(image);

        RgbImage output = JpegCompression.Compress(source.Clone(), quality);

        Assert.Equal(libjpegPsnr, Psnr(source, output), 0.3);
    }

    [Fact]
    public void Jpeg_size_falls_and_error_grows_as_quality_falls()
    {
        int[] qualities = [90, 43, 36, 24, 7, 4];
        int[] sizes = qualities.Select(q => JpegCompression.Encode(s_pattern, q).Length).ToArray();
        double[] psnr = qualities.Select(q => Psnr(s_pattern, JpegCompression.Compress(s_pattern.Clone(), q))).ToArray();

        for (int i = 1; i < qualities.Length; i++)
        {
            Assert.True(sizes[i] < sizes[i - 1], $"sizes {string.Join(", ", sizes)}");
            Assert.True(psnr[i] < psnr[i - 1], $"PSNR {string.Join(", ", psnr)}");
        }
    }

    [Theory]
    [InlineData("pattern256.png", 16, 41.91)]
    [InlineData("pattern256.png", 32, 36.69)]
    [InlineData("pattern256.png", 45, 34.17)]
    [InlineData("pattern256.png", 120, 28.39)]
    [InlineData("pattern256.png", 400, 22.57)]
    [InlineData("astronaut256.png", 16, 30.96)]
    [InlineData("astronaut256.png", 32, 26.82)]
    [InlineData("astronaut256.png", 45, 25.08)]
    [InlineData("astronaut256.png", 120, 20.82)]
    [InlineData("astronaut256.png", 400, 15.99)]
    public void Jpeg2000_substitute_is_within_one_and_a_half_db_of_openjpeg_at_the_same_ratio(string image, double ratio, double openJpegPsnr)
    {
        RgbImage source = TestImages.Reference(image);

        RgbImage output = Jpeg2000Substitute.Compress(source.Clone(), ratio);

        Assert.Equal(openJpegPsnr, Psnr(source, output), 1.5);
    }

    [Fact]
    public void Jpeg2000_levels_blur_rather_than_block()
    {
        // Wavelet coding removes fine detail smoothly: no 8x8 grid, unlike JPEG at a similar error.
        RgbImage j2k = Distorter.Apply(s_pattern, DistortionType.Jpeg2000, 5, seed: 0);
        RgbImage jpeg = Distorter.Apply(s_pattern, DistortionType.Jpeg, 5, seed: 0);

        Assert.True(BlockEdgeRatio(j2k) < 1.1, $"JPEG 2000 block-edge ratio {BlockEdgeRatio(j2k)}");
        Assert.True(BlockEdgeRatio(jpeg) > 1.3, $"JPEG block-edge ratio {BlockEdgeRatio(jpeg)}");
    }

    /// <summary>Mean horizontal gradient across 8-pixel block borders over the mean gradient elsewhere.</summary>
    private static double BlockEdgeRatio(RgbImage image)
    {
        double border = 0, inside = 0;
        int borderCount = 0, insideCount = 0;
        ReadOnlySpan<float> g = image.ReadPlane(1);
        for (int y = 0; y < image.Height; y++)
        {
            for (int x = 1; x < image.Width; x++)
            {
                double d = Math.Abs(g[(y * image.Width) + x] - g[(y * image.Width) + x - 1]);
                if (x % 8 == 0)
                {
                    border += d;
                    borderCount++;
                }
                else
                {
                    inside += d;
                    insideCount++;
                }
            }
        }

        return (border / borderCount) / (inside / insideCount);
    }

    private static double Psnr(RgbImage reference, RgbImage test)
    {
        double mse = TestImages.MeanSquaredDifference(reference, test);
        return 10 * Math.Log10(1 / mse);
    }

}
