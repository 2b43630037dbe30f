using MetaQap.Imaging.Pixels;

namespace MetaQap.Imaging.Preprocessing;

/// <summary>Per-channel (x − mean) / std, the input convention of torchvision models.</summary>
public sealed record ChannelNormalization(float[] Mean, float[] Std)
{
    /// <summary>The ImageNet statistics torchvision's pretrained weights expect.</summary>
    public static ChannelNormalization ImageNet { get; } = new([0.485f, 0.456f, 0.406f], [0.229f, 0.224f, 0.225f]);

    /// <summary>No change: values stay in [0, 1].</summary>
    public static ChannelNormalization None { get; } = new([0f, 0f, 0f], [1f, 1f, 1f]);

    /// <summary>Writes the normalised planar CHW samples of <paramref name="image"/> into <paramref name="destination"/>.</summary>
    public void WriteChw(RgbImage image, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (destination.Length < image.Data.Length)
        {
            throw new ArgumentException($"Destination holds {destination.Length} floats; {image.Data.Length} needed.", nameof(destination));
        }

        for (int c = 0; c < RgbImage.Channels; c++)
        {
            ReadOnlySpan<float> src = image.ReadPlane(c);
            Span<float> dst = destination.Slice(c * image.PlaneSize, image.PlaneSize);
            float mean = Mean[c];
            float inv = 1f / Std[c];
            for (int i = 0; i < src.Length; i++)
            {
                dst[i] = (src[i] - mean) * inv;
            }
        }
    }

    public float[] ToChw(RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var result = new float[image.Data.Length];
        WriteChw(image, result);
        return result;
    }
}
