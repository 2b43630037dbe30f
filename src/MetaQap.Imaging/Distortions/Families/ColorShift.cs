using System.Buffers;
using MetaQap.Imaging.Distortions.Support;
using MetaQap.Imaging.Pixels;

namespace MetaQap.Imaging.Distortions.Families;

/// <summary>
/// KADID 5, imcolorshift: the green channel is shifted by round(amount * unit vector) with a random direction in
/// the first quadrant, and blended in with a weight that follows the smoothed edge strength of the grey image,
/// so the misregistration shows along edges as colour fringes.
/// </summary>
internal static class ColorShift
{
    private const int Channel = 1;

    public static RgbImage Apply(RgbImage image, double amount, DistortionRandom random)
    {
        int width = image.Width, height = image.Height, n = image.PlaneSize;
        float[] buffer = ArrayPool<float>.Shared.Rent(2 * n);
        try
        {
            Span<float> weight = buffer.AsSpan(0, n);
            Span<float> shifted = buffer.AsSpan(n, n);
            EdgeWeight(image, weight, buffer.AsSpan(n, n));

            double u = random.NextDouble(), v = random.NextDouble();
            double norm = Math.Sqrt((u * u) + (v * v));
            int dy = norm > 0 ? (int)Math.Round(u / norm * amount, MidpointRounding.AwayFromZero) : 0;
            int dx = norm > 0 ? (int)Math.Round(v / norm * amount, MidpointRounding.AwayFromZero) : 0;

            Span<float> green = image.Plane(Channel);
            for (int y = 0; y < height; y++)
            {
                int sy = Math.Clamp(y - dy, 0, height - 1);
                for (int x = 0; x < width; x++)
                {
                    shifted[(y * width) + x] = green[(sy * width) + Math.Clamp(x - dx, 0, width - 1)];
                }
            }

            for (int i = 0; i < n; i++)
            {
                green[i] = (shifted[i] * weight[i]) + (green[i] * (1 - weight[i]));
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }

        return image;
    }

    /// <summary>mapmm(imgaussfilt(|grad gray|, 4)), truncated to [0.1, 1], then stretched between its 1st and 99th percentiles.</summary>
    private static void EdgeWeight(RgbImage image, Span<float> weight, Span<float> gray)
    {
        int width = image.Width, height = image.Height;
        ReadOnlySpan<float> r = image.ReadPlane(0), g = image.ReadPlane(1), b = image.ReadPlane(2);
        for (int i = 0; i < gray.Length; i++)
        {
            gray[i] = (0.2989f * r[i]) + (0.5870f * g[i]) + (0.1140f * b[i]);
        }

        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                float gx = Derivative(gray, (y * width) + x, x, width, 1);
                float gy = Derivative(gray, (y * width) + x, y, height, width);
                weight[(y * width) + x] = MathF.Sqrt((gx * gx) + (gy * gy));
            }
        }

        Convolution.Separable(weight, weight, width, height, MatlabKernels.Gaussian1D(4));
        Stretch(weight);
        Clamp(weight, 0.1f, 1f);
        float low = Percentile(weight, 0.01);
        float high = Percentile(weight, 0.99);
        Clamp(weight, low, high);
        Stretch(weight);
    }

    /// <summary>MATLAB gradient(): central differences inside, one-sided at the two ends.</summary>
    private static float Derivative(ReadOnlySpan<float> f, int index, int position, int length, int stride)
    {
        if (length < 2)
        {
            return 0;
        }

        if (position == 0)
        {
            return f[index + stride] - f[index];
        }

        if (position == length - 1)
        {
            return f[index] - f[index - stride];
        }

        return (f[index + stride] - f[index - stride]) / 2;
    }

    /// <summary>mapmm: linear stretch to [0, 1] (left alone when constant).</summary>
    private static void Stretch(Span<float> values)
    {
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        foreach (float v in values)
        {
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }

        if (max > min)
        {
            float scale = 1f / (max - min);
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = (values[i] - min) * scale;
            }
        }
    }

    private static void Clamp(Span<float> values, float low, float high)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = Math.Clamp(values[i], low, high);
        }
    }

    /// <summary>Percentile from a fine histogram: exact enough for a clipping bound, and linear in the image size.</summary>
    private static float Percentile(ReadOnlySpan<float> values, double fraction)
    {
        const int bins = 4096;
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        foreach (float v in values)
        {
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }

        if (!(max > min))
        {
            return min;
        }

        Span<int> histogram = stackalloc int[bins];
        float scale = (bins - 1) / (max - min);
        foreach (float v in values)
        {
            histogram[(int)((v - min) * scale)]++;
        }

        double target = fraction * values.Length;
        double cumulative = 0;
        for (int i = 0; i < bins; i++)
        {
            if (cumulative + histogram[i] >= target && histogram[i] > 0)
            {
                double within = (target - cumulative) / histogram[i];
                return min + (float)((i + within) / scale);
            }

            cumulative += histogram[i];
        }

        return max;
    }
}
