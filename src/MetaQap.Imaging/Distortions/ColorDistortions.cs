using MetaQap.Imaging.Pixels;

namespace MetaQap.Imaging.Distortions;

/// <summary>KADID types 4–8: colour diffusion, colour shift, colour quantisation and the two saturation changes.</summary>
internal static class ColorDistortions
{
    /// <summary>Blurs the chroma planes (CIELAB a*, b*) so colours bleed across edges while luminance stays sharp.</summary>
    public static void Diffusion(RgbImage image, double sigma)
    {
        ColorSpaces.RgbToLab(image);
        PlaneFilters.GaussianBlur(image.Plane(1), image.Width, image.Height, sigma);
        PlaneFilters.GaussianBlur(image.Plane(2), image.Width, image.Height, sigma);
        ColorSpaces.LabToRgb(image);
    }

    /// <summary>
    /// Misregisters the green plane by <paramref name="amount"/> pixels in a seeded direction, weighted by edge
    /// strength, so colour fringes appear along edges (as with chromatic aberration) and flat areas stay clean.
    /// </summary>
    public static void Shift(RgbImage image, double amount, Random rng)
    {
        int w = image.Width, h = image.Height;
        double angle = rng.NextDouble() * 2 * Math.PI;
        int dx = (int)Math.Round(amount * Math.Cos(angle)), dy = (int)Math.Round(amount * Math.Sin(angle));
        if (dx == 0 && dy == 0)
        {
            dx = 1;
        }

        float[] mask = EdgeStrength(image);
        Span<float> green = image.Plane(1);
        float[] original = green.ToArray();
        for (int y = 0; y < h; y++)
        {
            int sy = PlaneFilters.Mirror(y - dy, h);
            for (int x = 0; x < w; x++)
            {
                int i = (y * w) + x;
                float shifted = original[(sy * w) + PlaneFilters.Mirror(x - dx, w)];
                green[i] = (original[i] * (1 - mask[i])) + (shifted * mask[i]);
            }
        }
    }

    /// <summary>Reduces the image to a palette of <paramref name="colors"/> colours without dithering.</summary>
    public static void Quantize(RgbImage image, int colors, Random rng) => PaletteQuantizer.Apply(image, colors, rng);

    /// <summary>Multiplies HSV saturation by <paramref name="factor"/>; a negative factor pushes hues to their complements.</summary>
    public static void SaturationHsv(RgbImage image, double factor)
    {
        ColorSpaces.RgbToHsv(image);
        Span<float> s = image.Plane(1);
        for (int i = 0; i < s.Length; i++)
        {
            s[i] *= (float)factor;
        }

        ColorSpaces.HsvToRgb(image);
    }

    /// <summary>Multiplies the CIELAB chroma planes by <paramref name="factor"/> (over-saturation; 1 = unchanged).</summary>
    public static void SaturationLab(RgbImage image, double factor)
    {
        ColorSpaces.RgbToLab(image);
        for (int c = 1; c <= 2; c++)
        {
            Span<float> plane = image.Plane(c);
            for (int i = 0; i < plane.Length; i++)
            {
                plane[i] *= (float)factor;
            }
        }

        ColorSpaces.LabToRgb(image);
    }

    /// <summary>Luma gradient magnitude, lightly smoothed and scaled to [0, 1] by its maximum.</summary>
    private static float[] EdgeStrength(RgbImage image)
    {
        int w = image.Width, h = image.Height;
        float[] luma = image.ToLuma();
        var edges = new float[luma.Length];
        float max = 0;
        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
            {
                float gx = luma[(y * w) + PlaneFilters.Mirror(x + 1, w)] - luma[(y * w) + PlaneFilters.Mirror(x - 1, w)];
                float gy = luma[(PlaneFilters.Mirror(y + 1, h) * w) + x] - luma[(PlaneFilters.Mirror(y - 1, h) * w) + x];
                float g = MathF.Sqrt((gx * gx) + (gy * gy));
                edges[(y * w) + x] = g;
                max = MathF.Max(max, g);
            }
        }

        PlaneFilters.GaussianBlur(edges, w, h, 1.0);
        max = 0;
        foreach (float e in edges)
        {
            max = MathF.Max(max, e);
        }

        if (max > 0)
        {
            for (int i = 0; i < edges.Length; i++)
            {
                edges[i] = MathF.Min(1f, edges[i] / max * 2f);
            }
        }

        return edges;
    }
}
