using MetaQap.Imaging.Pixels;
using MetaQap.Imaging.Preprocessing;
using MetaQap.Modeling.Training;

namespace MetaQap.Modeling.Tests.Training;

public sealed class AugmentationTests
{
    [Fact]
    public void Training_views_are_exact_native_crops_or_their_mirrors_never_resampled()
    {
        RgbImage image = Noise(90, 70, 1);
        var random = new Random(5);
        int flipped = 0;
        for (int trial = 0; trial < 40; trial++)
        {
            RgbImage view = QualityPreservingAugmentation.ForTraining(image, 64, random, flip: true);
            Assert.Equal(64, view.Width);
            Assert.Equal(64, view.Height);
            bool found = false;
            for (int y = 0; y <= image.Height - 64 && !found; y++)
            {
                for (int x = 0; x <= image.Width - 64 && !found; x++)
                {
                    RgbImage crop = ImageResampler.Crop(image, x, y, 64, 64);
                    if (crop.Data.AsSpan().SequenceEqual(view.Data))
                    {
                        found = true;
                    }
                    else if (ImageResampler.FlipHorizontal(crop).Data.AsSpan().SequenceEqual(view.Data))
                    {
                        found = true;
                        flipped++;
                    }
                }
            }

            Assert.True(found, "the view is not a crop of the image at native resolution");
        }

        Assert.InRange(flipped, 10, 30);
    }

    [Fact]
    public void Validation_view_is_the_centre_crop_and_images_smaller_than_the_input_are_refused()
    {
        RgbImage image = Noise(80, 72, 2);

        RgbImage view = QualityPreservingAugmentation.ForValidation(image, 64);

        Assert.Equal(ImageResampler.Crop(image, 8, 4, 64, 64).Data, view.Data);
        Assert.Throws<InvalidDataException>(() => QualityPreservingAugmentation.ForValidation(Noise(63, 80, 3), 64));
        Assert.Throws<InvalidDataException>(() => QualityPreservingAugmentation.ForTraining(Noise(80, 63, 3), 64, new Random(1), true));
    }

    [Fact]
    public void Batches_keep_the_labels_and_apply_imagenet_normalisation()
    {
        RgbImage a = Noise(32, 32, 4), b = Noise(32, 32, 5);

        PreparedBatch batch = BatchAssembler.Assemble([a, b], [0.25, 0.75], [3, 24], ChannelNormalization.ImageNet);

        Assert.Equal([0.25f, 0.75f], batch.Quality);
        Assert.Equal([3L, 24L], batch.DistortionClasses!);
        int stride = 3 * 32 * 32;
        Assert.Equal((b[2, 5, 7] - 0.406f) / 0.225f, batch.Pixels[stride + (2 * 1024) + (5 * 32) + 7], 5);
        using var images = batch.ImagesTensor();
        Assert.Equal(new long[] { 2, 3, 32, 32 }, images.shape);
    }

    private static RgbImage Noise(int width, int height, int seed)
    {
        var random = new Random(seed);
        var image = new RgbImage(width, height);
        for (int i = 0; i < image.Data.Length; i++)
        {
            image.Data[i] = random.NextSingle();
        }

        return image;
    }
}
