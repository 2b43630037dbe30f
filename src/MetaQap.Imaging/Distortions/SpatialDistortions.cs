using MetaQap.Imaging.Pixels;

namespace MetaQap.Imaging.Distortions;

/// <summary>KADID types 19–21 and 23: jitter, non-eccentricity patches, pixelation and colour blocks.</summary>
internal static class SpatialDistortions
{
    /// <summary>KADID's images are 512×384; counts and sizes scale with the image so the look does not depend on it.</summary>
    private const double KadidArea = 512.0 * 384.0;

    /// <summary>
    /// Every pixel is resampled (bilinearly) from a random offset with standard deviation 2·amount pixels, which
    /// shakes edges and fine texture apart.
    /// </summary>
    public static RgbImage Jitter(RgbImage image, double amount, Random rng)
    {
        int w = image.Width, h = image.Height;
        var result = new RgbImage(w, h);
        double sigma = 2 * amount;
        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
            {
                double sx = x + (sigma * Noise.Gaussian(rng)), sy = y + (sigma * Noise.Gaussian(rng));
                int x0 = (int)Math.Floor(sx), y0 = (int)Math.Floor(sy);
                float fx = (float)(sx - x0), fy = (float)(sy - y0);
                int xa = PlaneFilters.Mirror(x0, w), xb = PlaneFilters.Mirror(x0 + 1, w);
                int ya = PlaneFilters.Mirror(y0, h), yb = PlaneFilters.Mirror(y0 + 1, h);
                for (int c = 0; c < RgbImage.Channels; c++)
                {
                    float top = (image[c, ya, xa] * (1 - fx)) + (image[c, ya, xb] * fx);
                    float bottom = (image[c, yb, xa] * (1 - fx)) + (image[c, yb, xb] * fx);
                    result[c, y, x] = (top * (1 - fy)) + (bottom * fy);
                }
            }
        }

        return result;
    }

    /// <summary>
    /// Copies <paramref name="count"/> (scaled by area from KADID's 512×384) 16×16 patches over nearby positions
    /// (8–24 pixels away), breaking local structure without changing global statistics.
    /// </summary>
    public static void NonEccentricityPatches(RgbImage image, double count, Random rng)
    {
        const int patch = 16;
        int w = image.Width, h = image.Height;
        if (w <= patch || h <= patch)
        {
            return;
        }

        int patches = Math.Max(1, (int)Math.Round(count * w * h / KadidArea));
        for (int p = 0; p < patches; p++)
        {
            int tx = rng.Next(w - patch), ty = rng.Next(h - patch);
            double angle = rng.NextDouble() * 2 * Math.PI;
            double distance = 8 + (rng.NextDouble() * 16);
            int sx = Math.Clamp(tx + (int)Math.Round(distance * Math.Cos(angle)), 0, w - patch);
            int sy = Math.Clamp(ty + (int)Math.Round(distance * Math.Sin(angle)), 0, h - patch);
            for (int c = 0; c < RgbImage.Channels; c++)
            {
                Span<float> plane = image.Plane(c);
                float[] source = new float[patch * patch];
                for (int row = 0; row < patch; row++)
                {
                    plane.Slice(((sy + row) * w) + sx, patch).CopyTo(source.AsSpan(row * patch, patch));
                }

                for (int row = 0; row < patch; row++)
                {
                    source.AsSpan(row * patch, patch).CopyTo(plane.Slice(((ty + row) * w) + tx, patch));
                }
            }
        }
    }

    /// <summary>
    /// Pixelation into square cells of round(2 + 16·p) pixels (2, 3, 4, 5 and 10 for KADID's levels): every pixel
    /// takes the mean of its cell. Whole-pixel cells keep every block where its content was; resampling to a
    /// fractional grid instead mixes 1- and 2-pixel cells, which looks (and measures) worse than a coarser clean grid.
    /// </summary>
    public static RgbImage Pixelate(RgbImage image, double fraction)
    {
        int cellSize = (int)Math.Round(2 + (16 * fraction));
        int w = image.Width, h = image.Height;
        int cw = (w + cellSize - 1) / cellSize, ch = (h + cellSize - 1) / cellSize;
        var cellX = new int[w];
        var cellY = new int[h];
        for (int x = 0; x < w; x++)
        {
            cellX[x] = x / cellSize;
        }

        for (int y = 0; y < h; y++)
        {
            cellY[y] = y / cellSize;
        }

        var result = new RgbImage(w, h);
        var sums = new double[cw * ch];
        var counts = new int[cw * ch];
        for (int c = 0; c < RgbImage.Channels; c++)
        {
            Array.Clear(sums);
            Array.Clear(counts);
            ReadOnlySpan<float> source = image.ReadPlane(c);
            for (int y = 0; y < h; y++)
            {
                for (int x = 0; x < w; x++)
                {
                    int cell = (cellY[y] * cw) + cellX[x];
                    sums[cell] += source[(y * w) + x];
                    counts[cell]++;
                }
            }

            Span<float> target = result.Plane(c);
            for (int y = 0; y < h; y++)
            {
                for (int x = 0; x < w; x++)
                {
                    int cell = (cellY[y] * cw) + cellX[x];
                    target[(y * w) + x] = (float)(sums[cell] / counts[cell]);
                }
            }
        }

        return result;
    }

    /// <summary>Pastes <paramref name="count"/> uniformly coloured square blocks (32 px at KADID's size, scaled).</summary>
    public static void ColorBlocks(RgbImage image, double count, Random rng)
    {
        int w = image.Width, h = image.Height;
        int size = Math.Max(2, (int)Math.Round(32 * Math.Sqrt(w * h / KadidArea)));
        size = Math.Min(size, Math.Min(w, h));
        for (int b = 0; b < (int)count; b++)
        {
            int x0 = rng.Next(w - size + 1), y0 = rng.Next(h - size + 1);
            for (int c = 0; c < RgbImage.Channels; c++)
            {
                float value = (float)rng.NextDouble();
                Span<float> plane = image.Plane(c);
                for (int y = y0; y < y0 + size; y++)
                {
                    plane.Slice((y * w) + x0, size).Fill(value);
                }
            }
        }
    }
}
