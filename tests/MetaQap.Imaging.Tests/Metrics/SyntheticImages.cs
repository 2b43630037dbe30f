using MetaQap.Imaging.Pixels;

namespace MetaQap.Imaging.Tests.Metrics;

/// <summary>Seeded test content and distortions of graded strength for the metrics' invariants.</summary>
internal static class SyntheticImages
{
    /// <summary>Smooth gradients, a few sinusoidal textures and hard-edged discs: structure at several scales.</summary>
    public static RgbImage Scene(int width, int height, int seed)
    {
        var random = new Random(seed);
        var image = new RgbImage(width, height);
        double fx = 0.05 + (0.2 * random.NextDouble()), fy = 0.05 + (0.2 * random.NextDouble());
        var discs = new (double X, double Y, double R, float V)[6];
        for (int i = 0; i < discs.Length; i++)
        {
            discs[i] = (random.NextDouble() * width, random.NextDouble() * height,
                (0.05 + (0.2 * random.NextDouble())) * Math.Min(width, height), (float)random.NextDouble());
        }

        for (int c = 0; c < RgbImage.Channels; c++)
        {
            for (int y = 0; y < height; y++)
            {
                for (int x = 0; x < width; x++)
                {
                    double v = 0.3 + (0.2 * x / width) + (0.15 * Math.Sin((fx * x) + (fy * y) + c))
                        + (0.1 * Math.Sin(0.9 * x) * Math.Cos(0.7 * y));
                    foreach ((double dx, double dy, double r, float value) in discs)
                    {
                        if (((x - dx) * (x - dx)) + ((y - dy) * (y - dy)) < r * r)
                        {
                            v = (0.5 * v) + (0.5 * value);
                        }
                    }

                    image[c, y, x] = (float)v;
                }
            }
        }

        return image.Clamp01();
    }

    /// <summary>Separable Gaussian blur with edge clamping, per channel.</summary>
    public static RgbImage Blur(RgbImage source, double sigma)
    {
        int radius = (int)Math.Ceiling(3 * sigma);
        var kernel = new float[(2 * radius) + 1];
        double sum = 0;
        for (int i = -radius; i <= radius; i++)
        {
            kernel[i + radius] = (float)Math.Exp(-(i * i) / (2 * sigma * sigma));
            sum += kernel[i + radius];
        }

        for (int i = 0; i < kernel.Length; i++)
        {
            kernel[i] /= (float)sum;
        }

        int w = source.Width, h = source.Height;
        var temp = new RgbImage(w, h);
        var result = new RgbImage(w, h);
        for (int c = 0; c < RgbImage.Channels; c++)
        {
            for (int y = 0; y < h; y++)
            {
                for (int x = 0; x < w; x++)
                {
                    float horizontal = 0f;
                    for (int k = -radius; k <= radius; k++)
                    {
                        horizontal += kernel[k + radius] * source[c, y, Math.Clamp(x + k, 0, w - 1)];
                    }

                    temp[c, y, x] = horizontal;
                }
            }

            for (int y = 0; y < h; y++)
            {
                for (int x = 0; x < w; x++)
                {
                    float vertical = 0f;
                    for (int k = -radius; k <= radius; k++)
                    {
                        vertical += kernel[k + radius] * temp[c, Math.Clamp(y + k, 0, h - 1), x];
                    }

                    result[c, y, x] = vertical;
                }
            }
        }

        return result;
    }

    /// <summary>Additive Gaussian noise (Box-Muller on a seeded generator), clamped to [0, 1].</summary>
    public static RgbImage Noise(RgbImage source, double sigma, int seed)
    {
        var random = new Random(seed);
        RgbImage result = source.Clone();
        for (int i = 0; i < result.Data.Length; i++)
        {
            double u1 = 1 - random.NextDouble(), u2 = random.NextDouble();
            double gaussian = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
            result.Data[i] += (float)(sigma * gaussian);
        }

        return result.Clamp01();
    }
}
