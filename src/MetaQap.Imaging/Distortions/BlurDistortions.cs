using MetaQap.Imaging.Pixels;

namespace MetaQap.Imaging.Distortions;

/// <summary>KADID types 1–3: Gaussian, lens (disk) and motion blur.</summary>
internal static class BlurDistortions
{
    public static void Gaussian(RgbImage image, double sigma)
    {
        for (int c = 0; c < RgbImage.Channels; c++)
        {
            PlaneFilters.GaussianBlur(image.Plane(c), image.Width, image.Height, sigma);
        }
    }

    /// <summary>Defocus: an anti-aliased disk kernel as MATLAB's fspecial('disk', radius).</summary>
    public static void Lens(RgbImage image, double radius)
    {
        var taps = new List<(int, int, float)>();
        int r = (int)Math.Ceiling(radius);
        const int supersample = 8;
        double total = 0;
        var weights = new Dictionary<(int, int), double>();
        for (int dy = -r; dy <= r; dy++)
        {
            for (int dx = -r; dx <= r; dx++)
            {
                // Fraction of the pixel square inside the disk, by supersampling.
                int inside = 0;
                for (int sy = 0; sy < supersample; sy++)
                {
                    for (int sx = 0; sx < supersample; sx++)
                    {
                        double px = dx - 0.5 + ((sx + 0.5) / supersample);
                        double py = dy - 0.5 + ((sy + 0.5) / supersample);
                        inside += (px * px) + (py * py) <= radius * radius ? 1 : 0;
                    }
                }

                if (inside > 0)
                {
                    double w = inside / (double)(supersample * supersample);
                    weights[(dx, dy)] = w;
                    total += w;
                }
            }
        }

        foreach (((int dx, int dy), double w) in weights)
        {
            taps.Add((dx, dy, (float)(w / total)));
        }

        Apply(image, taps);
    }

    /// <summary>Linear motion of the given length (pixels) in a seeded direction, as fspecial('motion', len, angle).</summary>
    public static void Motion(RgbImage image, double length, Random rng)
    {
        double angle = rng.NextDouble() * Math.PI;
        double cos = Math.Cos(angle), sin = Math.Sin(angle);
        var weights = new Dictionary<(int, int), double>();
        int steps = Math.Max(2, (int)Math.Ceiling(length * 8));
        for (int i = 0; i <= steps; i++)
        {
            // Points along the segment, splatted bilinearly so short and oblique kernels stay smooth.
            double t = (((double)i / steps) - 0.5) * length;
            double x = t * cos, y = t * sin;
            int x0 = (int)Math.Floor(x), y0 = (int)Math.Floor(y);
            double fx = x - x0, fy = y - y0;
            Add(weights, x0, y0, (1 - fx) * (1 - fy));
            Add(weights, x0 + 1, y0, fx * (1 - fy));
            Add(weights, x0, y0 + 1, (1 - fx) * fy);
            Add(weights, x0 + 1, y0 + 1, fx * fy);
        }

        double total = weights.Values.Sum();
        Apply(image, [.. weights.Where(kv => kv.Value > 1e-6).Select(kv => (kv.Key.Item1, kv.Key.Item2, (float)(kv.Value / total)))]);
    }

    private static void Add(Dictionary<(int, int), double> weights, int x, int y, double w)
    {
        weights[(x, y)] = weights.GetValueOrDefault((x, y)) + w;
    }

    private static void Apply(RgbImage image, IReadOnlyList<(int, int, float)> taps)
    {
        for (int c = 0; c < RgbImage.Channels; c++)
        {
            float[] blurred = PlaneFilters.Convolve(image.ReadPlane(c), image.Width, image.Height, taps);
            blurred.CopyTo(image.Plane(c));
        }
    }
}
