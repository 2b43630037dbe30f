using System.Buffers;
using MetaQap.Imaging.Distortions.Support;
using MetaQap.Imaging.Pixels;

namespace MetaQap.Imaging.Distortions.Families;

/// <summary>KADID 24-25: imsharpenHi (MATLAB imsharpen) and imcontrastc.</summary>
internal static class SharpnessContrastDistortions
{
    private const double SharpenRadius = 3;

    /// <summary>
    /// imsharpen(I, 'Radius', 3, 'Amount', amount): on Lab L*, L + amount * (L - G*L) with G a Gaussian of
    /// sigma 3 on a (2*ceil(2*3)+1)^2 support, replicated borders; back to RGB clipped.
    /// </summary>
    public static RgbImage HighSharpen(RgbImage image, double amount)
    {
        float[] kernel = MatlabKernels.Gaussian1D(SharpenRadius, (int)Math.Ceiling(2 * SharpenRadius));
        float[] blurred = ArrayPool<float>.Shared.Rent(image.PlaneSize);
        try
        {
            ColorDistortions.WithLab(image, (l, a, b) =>
            {
                Span<float> smooth = blurred.AsSpan(0, l.Length);
                Convolution.Separable(l, smooth, image.Width, image.Height, kernel);
                for (int i = 0; i < l.Length; i++)
                {
                    l[i] += (float)amount * (l[i] - smooth[i]);
                }
            });
        }
        finally
        {
            ArrayPool<float>.Shared.Return(blurred);
        }

        return image;
    }

    /// <summary>curves(I, [0.25 - a/4, 0.75 + a/4]) on RGB.</summary>
    public static RgbImage ContrastChange(RgbImage image, double amount)
    {
        ToneCurve.Contrast(0.25 - (amount / 4), 0.75 + (amount / 4)).Apply(image.Data);
        return image;
    }
}
