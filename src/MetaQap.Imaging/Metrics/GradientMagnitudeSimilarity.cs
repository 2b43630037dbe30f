using System.Buffers;

namespace MetaQap.Imaging.Metrics;

/// <summary>
/// GMSD after Xue, Zhang, Mou &amp; Bovik 2014 and the authors' GMSD.m: conv2 with a 2x2 mean and every second
/// sample, Prewitt gradients divided by 3 with conv2 'same' (zero padding), the gradient magnitude similarity
/// (2 g1 g2 + T) / (g1^2 + g2^2 + T) per pixel, and its standard deviation (std2, N - 1).
/// </summary>
/// <remarks>
/// GMSD.m uses T = 170 for [0, 255] images; samples here are in [0, 1], so T = 170 / 255^2 (= 0.0026, the c of
/// the paper). The zero padding is kept on purpose: it is what the published GMSD numbers were computed with
/// (an odd last row/column is halved by the 2x2 mean, and border gradients see a black frame in both images).
/// </remarks>
internal static class GradientMagnitudeSimilarity
{
    private const float T = 170f / (255f * 255f);

    public static double Compute(ReadOnlySpan<float> x, ReadOnlySpan<float> y, int width, int height)
    {
        int w = (width + 1) / 2, h = (height + 1) / 2;
        int padded = (w + 2) * (h + 2);
        float[] buffer = ArrayPool<float>.Shared.Rent((2 * padded) + (w * h));
        try
        {
            Span<float> px = buffer.AsSpan(0, padded), py = buffer.AsSpan(padded, padded);
            Span<float> gms = buffer.AsSpan(2 * padded, w * h);
            DownsampleIntoZeroFrame(x, width, height, px);
            DownsampleIntoZeroFrame(y, width, height, py);
            for (int i = 0; i < h; i++)
            {
                for (int j = 0; j < w; j++)
                {
                    float g1 = Magnitude(px, w + 2, i + 1, j + 1);
                    float g2 = Magnitude(py, w + 2, i + 1, j + 1);
                    gms[(i * w) + j] = ((2f * (g1 * g2)) + T) / ((g1 * g1) + (g2 * g2) + T);
                }
            }

            return SampleStandardDeviation(gms);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// conv2(img, ones(2)/4, 'same') sampled at odd MATLAB indices is the mean of each 2x2 block with zeros past
    /// the edge; written inside a one-pixel zero frame so the Prewitt step needs no bounds tests.
    /// </summary>
    private static void DownsampleIntoZeroFrame(ReadOnlySpan<float> source, int width, int height, Span<float> framed)
    {
        int w = (width + 1) / 2, h = (height + 1) / 2, stride = w + 2;
        framed.Clear();
        for (int i = 0; i < h; i++)
        {
            int r0 = 2 * i, r1 = r0 + 1;
            Span<float> d = framed.Slice(((i + 1) * stride) + 1, w);
            for (int j = 0; j < w; j++)
            {
                int c0 = 2 * j, c1 = c0 + 1;
                float sum = source[(r0 * width) + c0];
                if (c1 < width)
                {
                    sum += source[(r0 * width) + c1];
                }

                if (r1 < height)
                {
                    sum += source[(r1 * width) + c0];
                    if (c1 < width)
                    {
                        sum += source[(r1 * width) + c1];
                    }
                }

                d[j] = sum * 0.25f;
            }
        }
    }

    private static float Magnitude(ReadOnlySpan<float> framed, int stride, int i, int j)
    {
        int up = ((i - 1) * stride) + j, mid = (i * stride) + j, down = ((i + 1) * stride) + j;
        float gx = (framed[up - 1] + framed[mid - 1] + framed[down - 1] - framed[up + 1] - framed[mid + 1] - framed[down + 1]) / 3f;
        float gy = (framed[up - 1] + framed[up] + framed[up + 1] - framed[down - 1] - framed[down] - framed[down + 1]) / 3f;
        return MathF.Sqrt((gx * gx) + (gy * gy));
    }

    private static double SampleStandardDeviation(ReadOnlySpan<float> values)
    {
        double mean = 0;
        foreach (float v in values)
        {
            mean += v;
        }

        mean /= values.Length;
        double squares = 0;
        foreach (float v in values)
        {
            double d = v - mean;
            squares += d * d;
        }

        return Math.Sqrt(squares / (values.Length - 1));
    }
}
