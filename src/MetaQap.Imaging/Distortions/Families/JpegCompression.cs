using System.Buffers;
using MetaQap.Imaging.Pixels;
using SkiaSharp;

namespace MetaQap.Imaging.Distortions.Families;

/// <summary>
/// KADID 10, imcompressjpeg: an 8-bit JPEG round trip at the given quality. Skia's encoder is libjpeg-turbo,
/// which scales the standard quantisation tables by the same IJG quality formula as MATLAB's imwrite, with
/// 4:2:0 chroma subsampling (libjpeg's default).
/// </summary>
internal static class JpegCompression
{
    public static RgbImage Compress(RgbImage image, int quality)
    {
        byte[] encoded = Encode(image, quality);
        Decode(encoded, image);
        return image;
    }

    internal static byte[] Encode(RgbImage image, int quality)
    {
        int n = image.PlaneSize;
        byte[] rgba = ArrayPool<byte>.Shared.Rent(4 * n);
        try
        {
            ReadOnlySpan<float> r = image.ReadPlane(0), g = image.ReadPlane(1), b = image.ReadPlane(2);
            for (int i = 0; i < n; i++)
            {
                rgba[(4 * i) + 0] = ToByte(r[i]);
                rgba[(4 * i) + 1] = ToByte(g[i]);
                rgba[(4 * i) + 2] = ToByte(b[i]);
                rgba[(4 * i) + 3] = 255;
            }

            var info = new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Opaque);
            unsafe
            {
                fixed (byte* pixels = rgba)
                {
                    using var pixmap = new SKPixmap(info, (nint)pixels, info.RowBytes);
                    var options = new SKJpegEncoderOptions(quality, SKJpegEncoderDownsample.Downsample420, SKJpegEncoderAlphaOption.Ignore);
                    using SKData data = pixmap.Encode(options)
                        ?? throw new InvalidOperationException($"SkiaSharp could not encode a {image.Width}x{image.Height} JPEG.");
                    return data.ToArray();
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rgba);
        }
    }

    private static void Decode(byte[] encoded, RgbImage image)
    {
        int n = image.PlaneSize;
        byte[] rgba = ArrayPool<byte>.Shared.Rent(4 * n);
        try
        {
            var info = new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Opaque);
            using var data = SKData.CreateCopy(encoded);
            using var codec = SKCodec.Create(data)
                ?? throw new InvalidOperationException("SkiaSharp could not read back its own JPEG.");
            unsafe
            {
                fixed (byte* pixels = rgba)
                {
                    SKCodecResult result = codec.GetPixels(info, (nint)pixels);
                    if (result != SKCodecResult.Success)
                    {
                        throw new InvalidOperationException($"SkiaSharp JPEG decode failed: {result}.");
                    }
                }
            }

            Span<float> r = image.Plane(0), g = image.Plane(1), b = image.Plane(2);
            for (int i = 0; i < n; i++)
            {
                r[i] = rgba[(4 * i) + 0] / 255f;
                g[i] = rgba[(4 * i) + 1] / 255f;
                b[i] = rgba[(4 * i) + 2] / 255f;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rgba);
        }
    }

    private static byte ToByte(float v) => (byte)Math.Clamp((int)MathF.Round(v * 255f), 0, 255);
}
