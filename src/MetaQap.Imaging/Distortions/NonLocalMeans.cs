using MetaQap.Imaging.Pixels;

namespace MetaQap.Imaging.Distortions;

/// <summary>
/// Pixelwise non-local means (Buades et al. 2005) with the integral-image speed-up: patch distances are computed on
/// luma for every offset of the search window at once and box-filtered, and the weights average all three channels.
/// Search 7×7, patch 5×5, filtering parameter h = 0.8σ, distance offset 2σ² (the usual settings for this noise
/// range); it leaves the smooth, texture-less look of a learned denoiser pushed past its comfort zone.
/// </summary>
internal static class NonLocalMeans
{
    private const int SearchRadius = 3;
    private const int PatchSize = 5;

    public static void Apply(RgbImage image, double sigma)
    {
        int w = image.Width, h = image.Height, n = w * h;
        const int pad = SearchRadius;
        int pw = w + (2 * pad);
        float[] luma = Pad(image.ToLuma(), w, h, pad);
        float[][] channels = [Pad(image.ReadPlane(0).ToArray(), w, h, pad), Pad(image.ReadPlane(1).ToArray(), w, h, pad), Pad(image.ReadPlane(2).ToArray(), w, h, pad)];
        float inverseH2 = (float)(1 / Math.Max(1e-8, 0.64 * sigma * sigma));
        float offset = (float)(2 * sigma * sigma);
        var weightSum = new float[n];
        var accumulated = new float[3 * n];
        var distance = new float[n];

        for (int dy = -SearchRadius; dy <= SearchRadius; dy++)
        {
            for (int dx = -SearchRadius; dx <= SearchRadius; dx++)
            {
                for (int y = 0; y < h; y++)
                {
                    ReadOnlySpan<float> center = luma.AsSpan(((y + pad) * pw) + pad, w);
                    ReadOnlySpan<float> shifted = luma.AsSpan(((y + pad + dy) * pw) + pad + dx, w);
                    Span<float> row = distance.AsSpan(y * w, w);
                    for (int x = 0; x < w; x++)
                    {
                        float d = center[x] - shifted[x];
                        row[x] = d * d;
                    }
                }

                PlaneFilters.BoxBlur(distance, w, h, PatchSize);
                for (int y = 0; y < h; y++)
                {
                    int source = ((y + pad + dy) * pw) + pad + dx;
                    for (int x = 0; x < w; x++)
                    {
                        int i = (y * w) + x;
                        float weight = MathF.Exp(-MathF.Max(distance[i] - offset, 0) * inverseH2);
                        weightSum[i] += weight;
                        accumulated[i] += weight * channels[0][source + x];
                        accumulated[n + i] += weight * channels[1][source + x];
                        accumulated[(2 * n) + i] += weight * channels[2][source + x];
                    }
                }
            }
        }

        for (int c = 0; c < 3; c++)
        {
            Span<float> plane = image.Plane(c);
            for (int i = 0; i < n; i++)
            {
                plane[i] = accumulated[(c * n) + i] / weightSum[i];
            }
        }
    }

    private static float[] Pad(float[] plane, int w, int h, int pad)
    {
        int pw = w + (2 * pad);
        int[] columns = PlaneFilters.MirroredIndices(w, pad);
        int[] rows = PlaneFilters.MirroredIndices(h, pad);
        var padded = new float[pw * rows.Length];
        for (int y = 0; y < rows.Length; y++)
        {
            for (int x = 0; x < pw; x++)
            {
                padded[(y * pw) + x] = plane[(rows[y] * w) + columns[x]];
            }
        }

        return padded;
    }
}
