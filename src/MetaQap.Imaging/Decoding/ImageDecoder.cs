using System.Buffers;
using System.Runtime.InteropServices;
using MetaQap.Imaging.Pixels;
using SkiaSharp;

namespace MetaQap.Imaging.Decoding;

/// <summary>
/// Decodes JPEG, PNG, WebP and BMP into <see cref="RgbImage"/> with SkiaSharp. Limits are checked on the header
/// before decoding; a file that ends early is <see cref="ImageErrorCode.Truncated"/> (Skia would otherwise hand back
/// a full-size image with grey where the data stopped, so we decode with <see cref="SKCodec.GetPixels(SKImageInfo, IntPtr)"/>
/// and look at its result). Alpha is dropped: colour channels are used as stored (unpremultiplied). With
/// <see cref="DecodeOptions.MinShorterSide"/> a JPEG is decoded at reduced size in the codec (the same result checks
/// apply).
/// </summary>
public static class ImageDecoder
{
    public static RgbImage DecodeFile(string path, DecodeOptions? options = null)
    {
        options ??= DecodeOptions.Default;
        var length = new FileInfo(path).Length;
        if (length > options.MaxBytes)
        {
            throw new ImageDecodeException(ImageErrorCode.TooLarge,
                $"The file has {length} bytes, over the limit of {options.MaxBytes}.");
        }

        return Decode(File.ReadAllBytes(path), options);
    }

    public static RgbImage Decode(byte[] bytes, DecodeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        options ??= DecodeOptions.Default;
        if (bytes.LongLength > options.MaxBytes)
        {
            throw new ImageDecodeException(ImageErrorCode.TooLarge,
                $"The image has {bytes.LongLength} bytes, over the limit of {options.MaxBytes}.");
        }

        ImageHeader header = ImageHeaderReader.Read(bytes);
        if (header.PixelCount > options.MaxPixels)
        {
            throw new ImageDecodeException(ImageErrorCode.TooLarge,
                $"The {header.Format} header declares {header.Width}x{header.Height} = {header.PixelCount} pixels, over the limit of {options.MaxPixels}.");
        }

        using var data = SKData.CreateCopy(bytes);
        using var codec = SKCodec.Create(data)
            ?? throw new ImageDecodeException(ImageErrorCode.Corrupt, $"The {header.Format} data could not be parsed.");
        if ((long)codec.Info.Width * codec.Info.Height > options.MaxPixels)
        {
            throw new ImageDecodeException(ImageErrorCode.TooLarge,
                $"The image is {codec.Info.Width}x{codec.Info.Height}, over the limit of {options.MaxPixels} pixels.");
        }

        SKSizeI size = DecodeSize(codec, options.MinShorterSide);
        var info = new SKImageInfo(size.Width, size.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        byte[] rgba = ArrayPool<byte>.Shared.Rent(info.BytesSize);
        try
        {
            var handle = GCHandle.Alloc(rgba, GCHandleType.Pinned);
            SKCodecResult result;
            try
            {
                result = codec.GetPixels(info, handle.AddrOfPinnedObject());
            }
            finally
            {
                handle.Free();
            }

            ThrowOnFailure(result, header.Format);
            SKEncodedOrigin origin = options.ApplyOrientation ? codec.EncodedOrigin : SKEncodedOrigin.TopLeft;
            return ToPlanar(rgba, info.Width, info.Height, origin);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rgba);
        }
    }

    /// <summary>
    /// The smallest size the codec decodes to natively whose shorter side is still at least
    /// <paramref name="minShorterSide"/>; full size without a minimum or when the codec cannot scale. Skia's JPEG
    /// codec offers (k/8)·size for k = 1…8 (libjpeg-turbo's scaled IDCT) and reports full size for other scales.
    /// </summary>
    private static SKSizeI DecodeSize(SKCodec codec, int? minShorterSide)
    {
        var full = new SKSizeI(codec.Info.Width, codec.Info.Height);
        if (minShorterSide is not { } minimum || Math.Min(full.Width, full.Height) <= minimum)
        {
            return full;
        }

        for (int eighths = 1; eighths < 8; eighths++)
        {
            SKSizeI scaled = codec.GetScaledDimensions(eighths / 8f);
            if (Math.Min(scaled.Width, scaled.Height) >= minimum && scaled.Width <= full.Width && scaled.Height <= full.Height)
            {
                return scaled;
            }
        }

        return full;
    }

    private static void ThrowOnFailure(SKCodecResult result, ImageFormat format)
    {
        switch (result)
        {
            case SKCodecResult.Success:
                return;
            case SKCodecResult.IncompleteInput:
                throw new ImageDecodeException(ImageErrorCode.Truncated, $"The {format} data ends before the image is complete.");
            case SKCodecResult.ErrorInInput:
            case SKCodecResult.InvalidInput:
                throw new ImageDecodeException(ImageErrorCode.Corrupt, $"The {format} data is corrupt ({result}).");
            default:
                throw new ImageDecodeException(ImageErrorCode.Corrupt, $"The {format} image could not be decoded ({result}).");
        }
    }

    /// <summary>Converts RGBA bytes to planar float RGB, applying the EXIF orientation on the way.</summary>
    private static RgbImage ToPlanar(byte[] rgba, int width, int height, SKEncodedOrigin origin)
    {
        bool swapsAxes = origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop
            or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
        int outWidth = swapsAxes ? height : width;
        int outHeight = swapsAxes ? width : height;
        var image = new RgbImage(outWidth, outHeight);
        Span<float> r = image.Plane(0), g = image.Plane(1), b = image.Plane(2);
        const float scale = 1f / 255f;

        if (origin == SKEncodedOrigin.TopLeft)
        {
            for (int i = 0, src = 0; i < r.Length; i++, src += 4)
            {
                r[i] = rgba[src] * scale;
                g[i] = rgba[src + 1] * scale;
                b[i] = rgba[src + 2] * scale;
            }

            return image;
        }

        for (int oy = 0; oy < outHeight; oy++)
        {
            for (int ox = 0; ox < outWidth; ox++)
            {
                (int sx, int sy) = origin switch
                {
                    SKEncodedOrigin.TopRight => (width - 1 - ox, oy),
                    SKEncodedOrigin.BottomRight => (width - 1 - ox, height - 1 - oy),
                    SKEncodedOrigin.BottomLeft => (ox, height - 1 - oy),
                    SKEncodedOrigin.LeftTop => (oy, ox),
                    SKEncodedOrigin.RightTop => (oy, height - 1 - ox),
                    SKEncodedOrigin.RightBottom => (width - 1 - oy, height - 1 - ox),
                    SKEncodedOrigin.LeftBottom => (width - 1 - oy, ox),
                    _ => (ox, oy),
                };
                int src = ((sy * width) + sx) * 4;
                int dst = (oy * outWidth) + ox;
                r[dst] = rgba[src] * scale;
                g[dst] = rgba[src + 1] * scale;
                b[dst] = rgba[src + 2] * scale;
            }
        }

        return image;
    }
}
