using MetaQap.Imaging.Pixels;

namespace MetaQap.Imaging.Distortions;

/// <summary>KADID types 16–18, 22, 24 and 25: brighten, darken, mean shift, quantisation, high sharpen, contrast.</summary>
internal static class ToneDistortions
{
    /// <summary>
    /// Brightens CIELAB L* with the quadratic tone curve through (0,0), (0.5,c), (1,1), c = 0.5 + 0.25·a/(0.4 + a):
    /// mid-tones rise most, black and white stay put, as KADID's curve-fitted brightening does.
    /// </summary>
    public static void Brighten(RgbImage image, double amount) => ToneCurveOnLightness(image, 0.5 + (0.25 * amount / (0.4 + amount)));

    /// <summary>Darkens L* with the same curve family, c = 0.5 − 0.25·a/(0.2 + a).</summary>
    public static void Darken(RgbImage image, double amount) => ToneCurveOnLightness(image, 0.5 - (0.25 * amount / (0.2 + amount)));

    /// <summary>Adds <paramref name="shift"/> to every channel (clipped later).</summary>
    public static void MeanShift(RgbImage image, double shift)
    {
        Span<float> data = image.Data;
        for (int i = 0; i < data.Length; i++)
        {
            data[i] += (float)shift;
        }
    }

    /// <summary>Scales deviations from mid-grey by 1 + <paramref name="change"/> (0.3 = stronger, −0.6 = flatter).</summary>
    public static void Contrast(RgbImage image, double change)
    {
        Span<float> data = image.Data;
        float gain = (float)(1 + change);
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = 0.5f + ((data[i] - 0.5f) * gain);
        }
    }

    /// <summary>
    /// Quantises each channel to <paramref name="levels"/> levels: thresholds at equal-count quantiles of the channel
    /// (KADID uses multi-level Otsu thresholds, whose exhaustive search is impractical for up to 20 levels), each
    /// value replaced by the mean of its bin.
    /// </summary>
    public static void Quantize(RgbImage image, int levels)
    {
        for (int c = 0; c < RgbImage.Channels; c++)
        {
            Span<float> plane = image.Plane(c);
            float[] thresholds = Quantiles(plane, levels);
            var sums = new double[levels];
            var counts = new int[levels];
            var bins = new int[plane.Length];
            for (int i = 0; i < plane.Length; i++)
            {
                int bin = Bin(thresholds, plane[i]);
                bins[i] = bin;
                sums[bin] += plane[i];
                counts[bin]++;
            }

            for (int i = 0; i < plane.Length; i++)
            {
                plane[i] = (float)(sums[bins[i]] / counts[bins[i]]);
            }
        }
    }

    /// <summary>Unsharp masking of L* (Gaussian σ = 1, as imsharpen's default radius) with the given amount.</summary>
    public static void HighSharpen(RgbImage image, double amount)
    {
        ColorSpaces.RgbToLab(image);
        Span<float> lightness = image.Plane(0);
        float[] blurred = lightness.ToArray();
        PlaneFilters.GaussianBlur(blurred, image.Width, image.Height, 1.0);
        for (int i = 0; i < lightness.Length; i++)
        {
            lightness[i] = Math.Clamp(lightness[i] + ((float)amount * (lightness[i] - blurred[i])), 0f, 100f);
        }

        ColorSpaces.LabToRgb(image);
    }

    /// <summary>The levels − 1 inner equal-count quantiles of a plane in [0, 1], from a 4096-bin histogram.</summary>
    private static float[] Quantiles(ReadOnlySpan<float> plane, int levels)
    {
        const int bins = 4096;
        var histogram = new int[bins];
        foreach (float v in plane)
        {
            histogram[Math.Clamp((int)(v * bins), 0, bins - 1)]++;
        }

        var thresholds = new float[levels - 1];
        long seen = 0;
        int t = 0;
        for (int b = 0; b < bins && t < thresholds.Length; b++)
        {
            seen += histogram[b];
            while (t < thresholds.Length && seen * levels >= (long)(t + 1) * plane.Length)
            {
                thresholds[t++] = (b + 1f) / bins;
            }
        }

        for (; t < thresholds.Length; t++)
        {
            thresholds[t] = 1f;
        }

        return thresholds;
    }

    private static int Bin(float[] thresholds, float value)
    {
        int bin = Array.BinarySearch(thresholds, value);
        return bin >= 0 ? bin : ~bin;
    }

    private static void ToneCurveOnLightness(RgbImage image, double midpoint)
    {
        // y = a·x² + b·x through (0,0), (0.5, c), (1,1): a = 2 − 4c, b = 4c − 1 (monotone for c in [0.25, 0.75]).
        float a = (float)(2 - (4 * midpoint)), b = (float)((4 * midpoint) - 1);
        ColorSpaces.RgbToLab(image);
        Span<float> lightness = image.Plane(0);
        for (int i = 0; i < lightness.Length; i++)
        {
            float x = lightness[i] / 100f;
            lightness[i] = Math.Clamp(((a * x * x) + (b * x)) * 100f, 0f, 100f);
        }

        ColorSpaces.LabToRgb(image);
    }
}
