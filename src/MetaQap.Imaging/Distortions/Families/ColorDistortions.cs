using System.Buffers;
using MetaQap.Imaging.Distortions.Support;
using MetaQap.Imaging.Pixels;

namespace MetaQap.Imaging.Distortions.Families;

/// <summary>KADID 4, 7, 8: imcolordiffuse, imcolorsaturate (HSV), imsaturate (Lab).</summary>
internal static class ColorDistortions
{
    /// <summary>imcolorblur(I, 1.5*amount + 2, amount): chroma blurred, then scaled by the same amount.</summary>
    public static RgbImage Diffusion(RgbImage image, double amount)
    {
        float[] kernel = MatlabKernels.Gaussian1D((1.5 * amount) + 2);
        return WithLab(image, (l, a, b) =>
        {
            Convolution.Separable(a, a, image.Width, image.Height, kernel);
            Convolution.Separable(b, b, image.Width, image.Height, kernel);
            Scale(a, (float)amount);
            Scale(b, (float)amount);
        });
    }

    /// <summary>imsaturate: Lab chroma multiplied by the factor.</summary>
    public static RgbImage SaturationLab(RgbImage image, double factor) => WithLab(image, (l, a, b) =>
    {
        Scale(a, (float)factor);
        Scale(b, (float)factor);
    });

    /// <summary>
    /// imcolorsaturate: HSV saturation times the factor, back through MATLAB's hsv2rgb, which scales every pixel by
    /// v / (largest channel weight in the image). For factors in [0, 1] that largest weight is 1; for KADID's
    /// negative factor it exceeds 1 and the whole image darkens (the final min-max stretch then restores it).
    /// </summary>
    public static RgbImage SaturationHsv(RgbImage image, double factor)
    {
        Span<float> r = image.Plane(0), g = image.Plane(1), b = image.Plane(2);
        float[] value = ArrayPool<float>.Shared.Rent(image.PlaneSize);
        try
        {
            float largest = 0;
            for (int i = 0; i < r.Length; i++)
            {
                HsvConversion.ToHsv(r[i], g[i], b[i], out float h, out float s, out float v);
                HsvConversion.Weights(h, s * (float)factor, out float wr, out float wg, out float wb);
                r[i] = wr;
                g[i] = wg;
                b[i] = wb;
                value[i] = v;
                largest = Math.Max(largest, Math.Max(wr, Math.Max(wg, wb)));
            }

            for (int i = 0; i < r.Length; i++)
            {
                float scale = value[i] / largest;
                r[i] *= scale;
                g[i] *= scale;
                b[i] *= scale;
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(value);
        }

        return image;
    }

    /// <summary>Converts to Lab, lets <paramref name="edit"/> change the planes, converts back (clipped) in place.</summary>
    internal static RgbImage WithLab(RgbImage image, LabEdit edit)
    {
        int n = image.PlaneSize;
        float[] lab = ArrayPool<float>.Shared.Rent(3 * n);
        try
        {
            Span<float> l = lab.AsSpan(0, n), a = lab.AsSpan(n, n), b = lab.AsSpan(2 * n, n);
            LabConversion.ToLab(image, l, a, b);
            edit(l, a, b);
            LabConversion.ToRgb(l, a, b, image);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(lab);
        }

        return image;
    }

    internal static void Scale(Span<float> values, float factor)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] *= factor;
        }
    }

    internal delegate void LabEdit(Span<float> l, Span<float> a, Span<float> b);
}
