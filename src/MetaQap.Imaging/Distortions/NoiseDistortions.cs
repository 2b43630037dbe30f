using MetaQap.Imaging.Pixels;

namespace MetaQap.Imaging.Distortions;

/// <summary>KADID types 11–15: white, chroma, impulse and multiplicative noise, and noise-then-denoise.</summary>
internal static class NoiseDistortions
{
    /// <summary>imnoise(…, 'gaussian', 0, variance) on each RGB channel.</summary>
    public static void White(RgbImage image, double variance, Random rng) =>
        Noise.AddGaussian(image.Data, Math.Sqrt(variance), rng);

    /// <summary>
    /// Gaussian noise of the given variance added in YCbCr, as imnoise on rgb2ycbcr output: MATLAB's YCbCr is
    /// studio range (Y spans 219/255, chroma 224/255), so in our full-range YCbCr the deviations are scaled by
    /// 255/219 and 255/224.
    /// </summary>
    public static void ColorComponent(RgbImage image, double variance, Random rng)
    {
        double sigma = Math.Sqrt(variance);
        ColorSpaces.RgbToYCbCr(image);
        Noise.AddGaussian(image.Plane(0), sigma * 255 / 219, rng);
        Noise.AddGaussian(image.Plane(1), sigma * 255 / 224, rng);
        Noise.AddGaussian(image.Plane(2), sigma * 255 / 224, rng);
        ColorSpaces.YCbCrToRgb(image);
    }

    /// <summary>Salt and pepper: each sample becomes 0 or 1 with total probability <paramref name="density"/>.</summary>
    public static void Impulse(RgbImage image, double density, Random rng)
    {
        Span<float> data = image.Data;
        for (int i = 0; i < data.Length; i++)
        {
            double u = rng.NextDouble();
            if (u < density)
            {
                data[i] = u < density / 2 ? 0f : 1f;
            }
        }
    }

    /// <summary>Speckle: I + n·I with n uniform, zero mean, the given variance (imnoise 'speckle').</summary>
    public static void Multiplicative(RgbImage image, double variance, Random rng)
    {
        double half = Math.Sqrt(3 * variance);
        Span<float> data = image.Data;
        for (int i = 0; i < data.Length; i++)
        {
            data[i] += (float)(data[i] * ((rng.NextDouble() * 2) - 1) * half);
        }
    }

    /// <summary>
    /// White noise of standard deviation <paramref name="sigma"/>, then a non-local-means denoiser (the DnCNN
    /// substitute). KADID's levels 0.01–0.15 read as standard deviations (2.5–38 on the 0–255 scale) lie inside the
    /// range DnCNN was trained for (up to 55/255); read as variances the top level would be far outside it.
    /// </summary>
    public static void Denoise(RgbImage image, double sigma, Random rng)
    {
        Noise.AddGaussian(image.Data, sigma, rng);
        image.Clamp01();
        // Independent noise on R, G, B reaches luma with standard deviation sqrt(0.299² + 0.587² + 0.114²)·σ.
        double lumaSigma = Math.Sqrt(0.4479) * sigma;
        NonLocalMeans.Apply(image, lumaSigma);
    }
}
