using MetaQap.Imaging.Pixels;
using MetaQap.Imaging.Pristine;

namespace MetaQap.Imaging.Tests.Pristine;

/// <summary>Image statistics the pristine-source tests assert on.</summary>
internal static class PristineImageStats
{
    public static double MeanAbsDifference(RgbImage a, RgbImage b)
    {
        double sum = 0;
        for (int i = 0; i < a.Data.Length; i++)
        {
            sum += Math.Abs(a.Data[i] - b.Data[i]);
        }

        return sum / a.Data.Length;
    }

    /// <summary>Mean |R − G| + |G − B| per pixel: zero for a grey image.</summary>
    public static double ChannelSpread(RgbImage image)
    {
        ReadOnlySpan<float> r = image.ReadPlane(0), g = image.ReadPlane(1), b = image.ReadPlane(2);
        double sum = 0;
        for (int i = 0; i < r.Length; i++)
        {
            sum += Math.Abs(r[i] - g[i]) + Math.Abs(g[i] - b[i]);
        }

        return sum / r.Length;
    }

    /// <summary>Mean absolute difference between the luma and its 3×3 box blur (interior pixels): fine detail.</summary>
    public static double FineDetail(RgbImage image)
    {
        float[] luma = image.ToLuma();
        int w = image.Width, h = image.Height;
        double sum = 0;
        for (int y = 1; y < h - 1; y++)
        {
            for (int x = 1; x < w - 1; x++)
            {
                float blur = 0f;
                for (int dy = -1; dy <= 1; dy++)
                {
                    for (int dx = -1; dx <= 1; dx++)
                    {
                        blur += luma[((y + dy) * w) + x + dx];
                    }
                }

                sum += Math.Abs(luma[(y * w) + x] - (blur / 9f));
            }
        }

        return sum / ((w - 2) * (h - 2));
    }

    /// <summary>
    /// Ring-averaged power spectrum of the luma (mean removed, Hann window) of square power-of-two images, averaged
    /// over the images: index f holds the mean power at integer radius f cycles per image. Same recipe as
    /// tools/reference/radial_spectrum.py.
    /// </summary>
    public static double[] RadialPowerSpectrum(IReadOnlyList<RgbImage> images)
    {
        int n = images[0].Width;
        var sums = new double[n];
        var counts = new int[n];
        foreach (RgbImage image in images)
        {
            float[] luma = image.ToLuma();
            float mean = luma.Average();
            var re = new float[n * n];
            var im = new float[n * n];
            for (int y = 0; y < n; y++)
            {
                for (int x = 0; x < n; x++)
                {
                    re[(y * n) + x] = (luma[(y * n) + x] - mean) * Hann(x, n) * Hann(y, n);
                }
            }

            Fft.Transform2D(re, im, n, inverse: false);
            for (int ky = 0; ky < n; ky++)
            {
                int fy = ky <= n / 2 ? ky : ky - n;
                for (int kx = 0; kx < n; kx++)
                {
                    int fx = kx <= n / 2 ? kx : kx - n;
                    int radius = (int)Math.Round(Math.Sqrt((fx * fx) + (fy * fy)));
                    if (radius < n)
                    {
                        int i = (ky * n) + kx;
                        sums[radius] += ((double)re[i] * re[i]) + ((double)im[i] * im[i]);
                        counts[radius]++;
                    }
                }
            }
        }

        return [.. sums.Select((s, f) => counts[f] == 0 ? 0 : s / counts[f])];
    }

    /// <summary>Least-squares slope of log power against log frequency over [fMin, fMax].</summary>
    public static double LogLogSlope(double[] power, int fMin, int fMax)
    {
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        int count = fMax - fMin + 1;
        for (int f = fMin; f <= fMax; f++)
        {
            double x = Math.Log(f), y = Math.Log(power[f]);
            sx += x;
            sy += y;
            sxx += x * x;
            sxy += x * y;
        }

        return ((count * sxy) - (sx * sy)) / ((count * sxx) - (sx * sx));
    }

    // numpy.hanning: 0.5 − 0.5 cos(2πx / (n − 1)).
    private static float Hann(int x, int n) => 0.5f - (0.5f * MathF.Cos(2f * MathF.PI * x / (n - 1)));
}
