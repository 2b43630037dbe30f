using MetaQap.Imaging.Pixels;
using MetaQap.Imaging.Preprocessing;

namespace MetaQap.Modeling.Ensembles;

/// <summary>
/// The one preprocessing every scoring path uses: scale so the shorter side equals the model's input size (the
/// resampler's antialiased filter), then take the centred square of that size. It looks at one image only, so an
/// image's network input — and therefore its score — never depends on the other images of its batch.
/// A single centre crop (rather than a multi-crop average) keeps inference at one forward pass per image; the
/// shorter-side resize means the crop keeps the whole height (landscape) or width (portrait) of the picture.
/// </summary>
public static class ScoringPreprocessor
{
    /// <summary>The square <paramref name="inputSize"/>×<paramref name="inputSize"/> view of <paramref name="image"/> a base model sees.</summary>
    public static RgbImage Crop(RgbImage image, int inputSize)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputSize);
        RgbImage resized = image.Width == inputSize && image.Height == inputSize
            ? image
            : ImageResampler.ResizeShorterSide(image, inputSize);
        return resized.Width == inputSize && resized.Height == inputSize
            ? resized
            : ImageResampler.CenterCrop(resized, inputSize, inputSize);
    }

    /// <summary>Normalised NCHW samples of already-cropped square images, ready for a tensor.</summary>
    public static float[] ToBatch(IReadOnlyList<RgbImage> crops, int inputSize, ChannelNormalization normalization)
    {
        ArgumentNullException.ThrowIfNull(crops);
        ArgumentNullException.ThrowIfNull(normalization);
        int perImage = RgbImage.Channels * inputSize * inputSize;
        var batch = new float[crops.Count * perImage];
        for (int i = 0; i < crops.Count; i++)
        {
            if (crops[i].Width != inputSize || crops[i].Height != inputSize)
            {
                throw new ArgumentException($"Crop {i} is {crops[i].Width}x{crops[i].Height}, not {inputSize}x{inputSize}.", nameof(crops));
            }

            normalization.WriteChw(crops[i], batch.AsSpan(i * perImage, perImage));
        }

        return batch;
    }
}
