using MetaQap.Imaging.Pixels;
using MetaQap.Imaging.Preprocessing;

namespace MetaQap.Modeling.Training;

/// <summary>
/// The only augmentations training uses: a crop at native resolution and a horizontal mirror. Neither changes how
/// good an image looks, so the quality label stays valid; blur, rescaling and rotation would (they resample pixels)
/// and are deliberately absent. Validation uses the centre crop and no mirror, so it is deterministic.
/// </summary>
public static class QualityPreservingAugmentation
{
    /// <summary>A random <paramref name="size"/>² crop (uniform position), mirrored with probability 1/2 when <paramref name="flip"/>.</summary>
    public static RgbImage ForTraining(RgbImage image, int size, Random random, bool flip)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(random);
        RequireLargeEnough(image, size);
        int x = random.Next(image.Width - size + 1);
        int y = random.Next(image.Height - size + 1);
        bool mirror = flip && random.Next(2) == 1;
        RgbImage crop = image.Width == size && image.Height == size ? image : ImageResampler.Crop(image, x, y, size, size);
        return mirror ? ImageResampler.FlipHorizontal(crop) : crop;
    }

    /// <summary>The centre <paramref name="size"/>² crop at native resolution (no resize): what validation scores.</summary>
    public static RgbImage ForValidation(RgbImage image, int size)
    {
        ArgumentNullException.ThrowIfNull(image);
        RequireLargeEnough(image, size);
        return image.Width == size && image.Height == size ? image : ImageResampler.CenterCrop(image, size, size);
    }

    private static void RequireLargeEnough(RgbImage image, int size)
    {
        if (image.Width < size || image.Height < size)
        {
            throw new InvalidDataException(
                $"A {image.Width}x{image.Height} image is smaller than the {size}x{size} input; training never upscales " +
                "(it would change the image's quality). Use a smaller --size or drop such images.");
        }
    }
}
