using MetaQap.Imaging.Distortions.Support;
using MetaQap.Imaging.Pixels;

namespace MetaQap.Imaging.Distortions.Families;

/// <summary>KADID 11-15: imnoisegauss, imnoisecolorcomp, imnoiseimpulse, imnoisemultiplicative, imdenoise.</summary>
internal static class NoiseDistortions
{
    /// <summary>imnoise(I, 'gaussian', 0, var): independent normal noise per sample, clipped.</summary>
    public static RgbImage White(RgbImage image, double variance, DistortionRandom random)
    {
        AddGaussian(image.Data, Math.Sqrt(variance), random);
        return image;
    }

    /// <summary>The same noise added to each component of rgb2ycbcr(I) (studio range), clipped there, then back to RGB.</summary>
    public static RgbImage WhiteInYCbCr(RgbImage image, double variance, DistortionRandom random)
    {
        float sigma = (float)Math.Sqrt(variance);
        Span<float> r = image.Plane(0), g = image.Plane(1), b = image.Plane(2);
        for (int i = 0; i < r.Length; i++)
        {
            (float y, float cb, float cr) = YCbCrConversion.FromRgb(r[i], g[i], b[i]);
            y = Math.Clamp(y + (sigma * random.NextGaussianSingle()), 0f, 1f);
            cb = Math.Clamp(cb + (sigma * random.NextGaussianSingle()), 0f, 1f);
            cr = Math.Clamp(cr + (sigma * random.NextGaussianSingle()), 0f, 1f);
            (float nr, float ng, float nb) = YCbCrConversion.ToRgb(y, cb, cr);
            r[i] = Math.Clamp(nr, 0f, 1f);
            g[i] = Math.Clamp(ng, 0f, 1f);
            b[i] = Math.Clamp(nb, 0f, 1f);
        }

        return image;
    }

    /// <summary>imnoise(I, 'salt & pepper', d): each sample (not pixel) turns 0 with probability d/2, 1 with d/2.</summary>
    public static RgbImage Impulse(RgbImage image, double density, DistortionRandom random)
    {
        Span<float> data = image.Data;
        for (int i = 0; i < data.Length; i++)
        {
            double u = random.NextDouble();
            if (u < density / 2)
            {
                data[i] = 0f;
            }
            else if (u < density)
            {
                data[i] = 1f;
            }
        }

        return image;
    }

    /// <summary>imnoise(I, 'speckle', var): I + n*I with n uniform, zero mean, variance var; clipped.</summary>
    public static RgbImage Multiplicative(RgbImage image, double variance, DistortionRandom random)
    {
        double spread = Math.Sqrt(12 * variance);
        Span<float> data = image.Data;
        for (int i = 0; i < data.Length; i++)
        {
            double n = spread * (random.NextDouble() - 0.5);
            data[i] = Math.Clamp(data[i] + (float)(n * data[i]), 0f, 1f);
        }

        return image;
    }

    /// <summary>imdenoise: Gaussian noise of the given variance (clipped), then each channel denoised on its own.</summary>
    public static RgbImage Denoised(RgbImage image, double variance, DistortionRandom random)
    {
        double sigma = Math.Sqrt(variance);
        AddGaussian(image.Data, sigma, random);
        for (int c = 0; c < RgbImage.Channels; c++)
        {
            WaveletDenoiser.Denoise(image.Plane(c), image.Width, image.Height, (float)sigma);
        }

        return image;
    }

    private static void AddGaussian(Span<float> data, double sigma, DistortionRandom random)
    {
        float s = (float)sigma;
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = Math.Clamp(data[i] + (s * random.NextGaussianSingle()), 0f, 1f);
        }
    }
}
