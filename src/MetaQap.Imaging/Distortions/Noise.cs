namespace MetaQap.Imaging.Distortions;

/// <summary>Seeded random draws for the distortions (System.Random is deterministic for a seed).</summary>
internal static class Noise
{
    /// <summary>A standard normal draw (Box–Muller).</summary>
    public static double Gaussian(Random rng)
    {
        double u1 = 1.0 - rng.NextDouble();
        double u2 = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>Adds zero-mean Gaussian noise of the given standard deviation to every sample.</summary>
    public static void AddGaussian(Span<float> plane, double sigma, Random rng)
    {
        // Box–Muller yields two independent normals per pair of uniforms; use both.
        for (int i = 0; i < plane.Length; i += 2)
        {
            double radius = sigma * Math.Sqrt(-2.0 * Math.Log(1.0 - rng.NextDouble()));
            (double sin, double cos) = Math.SinCos(2 * Math.PI * rng.NextDouble());
            plane[i] += (float)(radius * cos);
            if (i + 1 < plane.Length)
            {
                plane[i + 1] += (float)(radius * sin);
            }
        }
    }
}
