using MetaQap.Imaging.Pixels;

namespace MetaQap.Imaging.Metrics;

/// <summary>
/// <see cref="RgbImage.ToLuma"/> into a caller's buffer: the metrics run per corpus sample, and a fresh array
/// per image (on the large-object heap from 147x147 up) would dominate their cost. Same formula, same order of
/// operations, so the samples are bit-identical (a test holds it to that).
/// </summary>
internal static class Luma
{
    public static void Write(RgbImage image, Span<float> luma)
    {
        ReadOnlySpan<float> r = image.ReadPlane(0), g = image.ReadPlane(1), b = image.ReadPlane(2);
        luma = luma[..r.Length];
        for (int i = 0; i < luma.Length; i++)
        {
            luma[i] = (0.299f * r[i]) + (0.587f * g[i]) + (0.114f * b[i]);
        }
    }
}
