using MetaQap.Imaging.Pixels;
using MetaQap.Imaging.Preprocessing;
using MetaQap.Modeling.Ensembles;

namespace MetaQap.Modeling.Tests.Ensembles;

public sealed class ScoringPreprocessorTests
{
    [Fact]
    public void Without_a_view_side_the_shorter_side_is_scaled_to_the_input()
    {
        RgbImage image = Ramp(300, 200);

        RgbImage crop = ScoringPreprocessor.Crop(image, 100);

        Assert.Equal(ImageResampler.CenterCrop(ImageResampler.ResizeShorterSide(image, 100), 100, 100).Data, crop.Data);
    }

    [Fact]
    public void An_image_within_the_view_side_is_cropped_at_native_resolution()
    {
        RgbImage image = Ramp(300, 200);

        RgbImage crop = ScoringPreprocessor.Crop(image, 100, viewSide: 512);

        Assert.Equal(ImageResampler.CenterCrop(image, 100, 100).Data, crop.Data);
    }

    [Fact]
    public void An_image_larger_than_the_view_side_is_scaled_down_to_it_first()
    {
        RgbImage image = Ramp(400, 300);

        RgbImage crop = ScoringPreprocessor.Crop(image, 64, viewSide: 150);

        Assert.Equal(ImageResampler.CenterCrop(ImageResampler.ResizeShorterSide(image, 150), 64, 64).Data, crop.Data);
    }

    [Fact]
    public void An_image_smaller_than_the_input_is_scaled_up_to_it()
    {
        RgbImage image = Ramp(60, 40);

        RgbImage crop = ScoringPreprocessor.Crop(image, 64, viewSide: 512);

        Assert.Equal(64, crop.Width);
        Assert.Equal(64, crop.Height);
        Assert.Equal(ImageResampler.CenterCrop(ImageResampler.ResizeShorterSide(image, 64), 64, 64).Data, crop.Data);
    }

    [Fact]
    public void A_view_side_below_the_input_size_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ScoringPreprocessor.Crop(Ramp(100, 100), 64, viewSide: 32));
    }

    private static RgbImage Ramp(int width, int height)
    {
        var image = new RgbImage(width, height);
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                image[0, y, x] = (float)x / width;
                image[1, y, x] = (float)y / height;
                image[2, y, x] = (float)((x * 7 + y * 13) % 17) / 17;
            }
        }

        return image;
    }
}
