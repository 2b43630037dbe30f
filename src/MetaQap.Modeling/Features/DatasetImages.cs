using MetaQap.Imaging.Datasets;
using MetaQap.Imaging.Decoding;
using MetaQap.Imaging.Pixels;

namespace MetaQap.Modeling.Features;

/// <summary>
/// Decodes a run of dataset items in parallel for a pass over a whole dataset (feature caching, calibration). A set
/// with an unreadable image is to be fixed, not silently thinned: the first failure throws, naming the file.
/// </summary>
internal static class DatasetImages
{
    /// <param name="prepare">Applied to each decoded image on the same worker thread (e.g. the scoring crop).</param>
    /// <exception cref="ImageDecodeException">An item cannot be decoded; the message starts with its path.</exception>
    public static RgbImage[] Decode(IReadOnlyList<DatasetItem> items, int start, int count, DecodeOptions? options,
        Func<RgbImage, RgbImage> prepare, CancellationToken cancellationToken)
    {
        var images = new RgbImage[count];
        var errors = new ImageDecodeException?[count];
        Parallel.For(0, count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
        {
            try
            {
                images[i] = prepare(ImageDecoder.DecodeFile(items[start + i].ImagePath, options));
            }
            catch (ImageDecodeException e)
            {
                errors[i] = e;
            }
        });

        if (Array.FindIndex(errors, e => e is not null) is var bad and >= 0)
        {
            throw new ImageDecodeException(errors[bad]!.Code, $"{items[start + bad].ImagePath}: {errors[bad]!.Message}", errors[bad]!);
        }

        return images;
    }
}
