using MetaQap.Imaging.Pixels;
using MetaQap.Imaging.Preprocessing;

namespace MetaQap.Imaging.Tests.Preprocessing;

public sealed class ImageResamplerTests
{
    [Theory]
    [InlineData(37, 23)]
    [InlineData(200, 150)]
    [InlineData(13, 90)]
    public void Constant_image_stays_constant_at_any_size(int width, int height)
    {
        var image = new RgbImage(64, 48);
        image.Plane(0).Fill(0.25f);
        image.Plane(1).Fill(0.5f);
        image.Plane(2).Fill(0.75f);

        RgbImage resized = ImageResampler.Resize(image, width, height);

        Assert.Equal(width, resized.Width);
        Assert.Equal(height, resized.Height);
        Assert.All(resized.ReadPlane(0).ToArray(), v => Assert.Equal(0.25f, v, 1e-5f));
        Assert.All(resized.ReadPlane(2).ToArray(), v => Assert.Equal(0.75f, v, 1e-5f));
    }

    [Fact]
    public void Downscaling_by_two_averages_instead_of_skipping_pixels()
    {
        // A one-pixel checkerboard: point sampling would return all black or all white; averaging gives grey.
        var image = new RgbImage(64, 64);
        for (int c = 0; c < 3; c++)
        {
            for (int y = 0; y < 64; y++)
            {
                for (int x = 0; x < 64; x++)
                {
                    image[c, y, x] = (x + y) % 2;
                }
            }
        }

        RgbImage half = ImageResampler.Resize(image, 32, 32);

        Assert.All(half.ReadPlane(1).ToArray(), v => Assert.InRange(v, 0.4f, 0.6f));
    }

    [Fact]
    public void Resize_preserves_mean_brightness()
    {
        RgbImage image = TestImages.Pattern(96, 64);

        RgbImage small = ImageResampler.Resize(image, 31, 17);

        Assert.Equal(image.ReadPlane(0).ToArray().Average(), small.ReadPlane(0).ToArray().Average(), 0.02);
    }

    [Fact]
    public void Shorter_side_becomes_the_requested_size()
    {
        RgbImage wide = ImageResampler.ResizeShorterSide(TestImages.Pattern(200, 100), 50);
        RgbImage tall = ImageResampler.ResizeShorterSide(TestImages.Pattern(60, 120), 30);

        Assert.Equal((100, 50), (wide.Width, wide.Height));
        Assert.Equal((30, 60), (tall.Width, tall.Height));
    }

    [Fact]
    public void Crop_copies_the_window_and_refuses_windows_outside_the_image()
    {
        RgbImage image = TestImages.Pattern(20, 10);

        RgbImage crop = ImageResampler.Crop(image, 5, 3, 4, 2);

        Assert.Equal(image[1, 3, 5], crop[1, 0, 0]);
        Assert.Equal(image[2, 4, 8], crop[2, 1, 3]);
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageResampler.Crop(image, 18, 0, 4, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageResampler.Crop(image, -1, 0, 4, 2));
    }

    [Fact]
    public void Center_crop_and_flip_keep_pixels()
    {
        RgbImage image = TestImages.Pattern(20, 10);

        RgbImage center = ImageResampler.CenterCrop(image, 10, 4);
        RgbImage flipped = ImageResampler.FlipHorizontal(image);

        Assert.Equal(image[0, 3, 5], center[0, 0, 0]);
        Assert.Equal(image[0, 2, 0], flipped[0, 2, 19]);
        Assert.Equal(image.Data.Sum(), flipped.Data.Sum(), 0.01);
    }

    [Fact]
    public void ImageNet_normalisation_matches_torchvision_convention()
    {
        var image = new RgbImage(2, 1, [0.485f, 1f, 0.456f, 0f, 0.406f, 0.631f]);

        float[] chw = ChannelNormalization.ImageNet.ToChw(image);

        Assert.Equal(0f, chw[0], 1e-6f);
        Assert.Equal((1f - 0.485f) / 0.229f, chw[1], 1e-5f);
        Assert.Equal(0f, chw[2], 1e-6f);
        Assert.Equal(-0.456f / 0.224f, chw[3], 1e-5f);
        Assert.Equal(1f, chw[5], 1e-3f);
    }

    [Theory]
    [InlineData(960, 540, 910, 512, 160)] // a 1080p JPEG decoded at 1/2, to a 512-px view, centre 160
    [InlineData(300, 200, 150, 100, 64)]  // plain downscale
    [InlineData(60, 40, 96, 64, 64)]      // upscale
    [InlineData(97, 131, 53, 71, 20)]     // odd sizes, portrait
    public void ResizeCrop_is_bit_identical_to_resizing_then_cropping(int sourceWidth, int sourceHeight, int width, int height, int crop)
    {
        RgbImage source = TestImages.Pattern(sourceWidth, sourceHeight, seed: 5);
        int x = (width - crop) / 2, y = (height - crop) / 2;

        RgbImage expected = ImageResampler.Crop(ImageResampler.Resize(source, width, height), x, y, crop, crop);
        RgbImage actual = ImageResampler.ResizeCrop(source, width, height, x, y, crop, crop);

        Assert.Equal(expected.Data, actual.Data);
        RgbImage corner = ImageResampler.ResizeCrop(source, width, height, 0, height - crop, crop, crop);
        Assert.Equal(ImageResampler.Crop(ImageResampler.Resize(source, width, height), 0, height - crop, crop, crop).Data, corner.Data);
    }

    [Fact]
    public void ResizeCrop_refuses_a_crop_outside_the_resized_image()
    {
        RgbImage source = TestImages.Pattern(40, 30);

        Assert.Throws<ArgumentOutOfRangeException>(() => ImageResampler.ResizeCrop(source, 20, 15, 10, 0, 16, 15));
    }
}
