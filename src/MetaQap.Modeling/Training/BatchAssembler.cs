using MetaQap.Imaging.Pixels;
using MetaQap.Imaging.Preprocessing;

namespace MetaQap.Modeling.Training;

/// <summary>Packs already-cropped square images into a <see cref="PreparedBatch"/> with the backbone's input normalisation.</summary>
internal static class BatchAssembler
{
    public static PreparedBatch Assemble(IReadOnlyList<RgbImage> images, IReadOnlyList<double> quality, IReadOnlyList<long>? classes,
        ChannelNormalization normalization)
    {
        int size = images[0].Width;
        int stride = 3 * size * size;
        var pixels = new float[images.Count * stride];
        var targets = new float[images.Count];
        for (int i = 0; i < images.Count; i++)
        {
            RgbImage image = images[i];
            if (image.Width != size || image.Height != size)
            {
                throw new ArgumentException($"Batch images must all be {size}x{size}; image {i} is {image.Width}x{image.Height}.", nameof(images));
            }

            normalization.WriteChw(image, pixels.AsSpan(i * stride, stride));
            targets[i] = (float)quality[i];
        }

        return new PreparedBatch(pixels, images.Count, size, targets, classes is null ? null : [.. classes]);
    }
}
