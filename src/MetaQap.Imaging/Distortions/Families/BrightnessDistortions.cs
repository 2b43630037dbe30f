using System.Buffers;
using MetaQap.Imaging.Distortions.Support;
using MetaQap.Imaging.Pixels;

namespace MetaQap.Imaging.Distortions.Families;

/// <summary>KADID 16-18: imbrighten, imdarken, immeanshift.</summary>
internal static class BrightnessDistortions
{
    /// <summary>curves(x, 0.5 + amount/2) on RGB, blended 2:1 with the same curve applied to Lab L*.</summary>
    public static RgbImage Brighten(RgbImage image, double amount)
    {
        ToneCurve curve = ToneCurve.ThroughMiddle(0.5 + (amount / 2));
        int n = image.PlaneSize;
        float[] buffer = ArrayPool<float>.Shared.Rent(6 * n);
        try
        {
            Span<float> l = buffer.AsSpan(0, n), a = buffer.AsSpan(n, n), b = buffer.AsSpan(2 * n, n);
            Span<float> viaLab = buffer.AsSpan(3 * n, 3 * n);
            LabConversion.ToLab(image, l, a, b);
            ColorDistortions.Scale(l, 0.01f);
            curve.Apply(l);
            ColorDistortions.Scale(l, 100f);
            LabConversion.ToRgb(l, a, b, viaLab[..n], viaLab.Slice(n, n), viaLab.Slice(2 * n, n));
            Span<float> data = image.Data;
            curve.Apply(data);
            for (int i = 0; i < data.Length; i++)
            {
                data[i] = ((2 * data[i]) + viaLab[i]) / 3;
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }

        return image;
    }

    /// <summary>curves(x, 0.5 - amount/2) on RGB only (imdarken leaves the Lab blend off).</summary>
    public static RgbImage Darken(RgbImage image, double amount)
    {
        ToneCurve.ThroughMiddle(0.5 - (amount / 2)).Apply(image.Data);
        return image;
    }

    /// <summary>A constant added to every sample and clipped; the final stretch makes the clipping visible as a tone change.</summary>
    public static RgbImage MeanShift(RgbImage image, double amount)
    {
        Span<float> data = image.Data;
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = Math.Clamp(data[i] + (float)amount, 0f, 1f);
        }

        return image;
    }
}
