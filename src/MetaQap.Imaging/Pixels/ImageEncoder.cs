using System.Runtime.InteropServices;
using SkiaSharp;

namespace MetaQap.Imaging.Pixels;

/// <summary>Writes an <see cref="RgbImage"/> as PNG or JPEG bytes (8 bits per channel, rounded).</summary>
public static class ImageEncoder
{
    public static byte[] EncodePng(RgbImage image) => Encode(image, SKEncodedImageFormat.Png, 100);

    public static byte[] EncodeJpeg(RgbImage image, int quality)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(quality);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quality, 100);
        return Encode(image, SKEncodedImageFormat.Jpeg, quality);
    }

    /// <summary>Saves as PNG, or as JPEG (quality 95) when the extension is .jpg/.jpeg.</summary>
    public static void Save(RgbImage image, string path)
    {
        string extension = Path.GetExtension(path).ToUpperInvariant();
        byte[] bytes = extension is ".JPG" or ".JPEG" ? EncodeJpeg(image, 95) : EncodePng(image);
        File.WriteAllBytes(path, bytes);
    }

    /// <summary>Converts to an 8-bit RGBA Skia bitmap (opaque); the caller disposes it.</summary>
    public static SKBitmap ToBitmap(RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var info = new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        var bitmap = new SKBitmap(info);
        var rgba = new byte[info.BytesSize];
        ReadOnlySpan<float> r = image.ReadPlane(0), g = image.ReadPlane(1), b = image.ReadPlane(2);
        for (int i = 0, o = 0; i < r.Length; i++, o += 4)
        {
            rgba[o] = ToByte(r[i]);
            rgba[o + 1] = ToByte(g[i]);
            rgba[o + 2] = ToByte(b[i]);
            rgba[o + 3] = 255;
        }

        Marshal.Copy(rgba, 0, bitmap.GetPixels(), rgba.Length);
        return bitmap;
    }

    public static byte ToByte(float value) => (byte)Math.Clamp((int)MathF.Round(value * 255f), 0, 255);

    private static byte[] Encode(RgbImage image, SKEncodedImageFormat format, int quality)
    {
        using SKBitmap bitmap = ToBitmap(image);
        using SKData data = bitmap.Encode(format, quality)
            ?? throw new InvalidOperationException($"SkiaSharp could not encode {format}.");
        return data.ToArray();
    }
}
