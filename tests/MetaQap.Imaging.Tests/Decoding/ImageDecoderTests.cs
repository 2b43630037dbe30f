using System.Buffers.Binary;
using MetaQap.Imaging.Decoding;
using MetaQap.Imaging.Pixels;
using MetaQap.Testing;
using SkiaSharp;

namespace MetaQap.Imaging.Tests.Decoding;

public sealed class ImageDecoderTests
{
    [Fact]
    public void Png_round_trips_to_within_quantisation()
    {
        RgbImage original = TestImages.Pattern(40, 30);

        RgbImage decoded = ImageDecoder.Decode(ImageEncoder.EncodePng(original));

        Assert.Equal(40, decoded.Width);
        Assert.Equal(30, decoded.Height);
        for (int i = 0; i < original.Data.Length; i++)
        {
            Assert.InRange(decoded.Data[i] - original.Data[i], -0.5f / 255f - 1e-6f, 0.5f / 255f + 1e-6f);
        }
    }

    [Theory]
    [InlineData(SKEncodedImageFormat.Jpeg)]
    [InlineData(SKEncodedImageFormat.Webp)]
    [InlineData(SKEncodedImageFormat.Png)]
    public void Supported_formats_decode_close_to_the_original(SKEncodedImageFormat format)
    {
        RgbImage original = TestImages.Pattern(64, 48);
        byte[] bytes = EncodeWithSkia(original, format, 95);

        RgbImage decoded = ImageDecoder.Decode(bytes);

        Assert.Equal(64, decoded.Width);
        Assert.Equal(48, decoded.Height);
        double mae = original.Data.Zip(decoded.Data, (a, b) => Math.Abs(a - b)).Average();
        Assert.True(mae < 0.05, $"mean abs error {mae}");
    }

    [Fact]
    public void Bmp_decodes_bottom_up_rows_in_the_right_order()
    {
        // 2x2 24-bit BMP, rows stored bottom-up: first stored row blue, white; second stored row red, green.
        byte[] bmp = Bmp24(2, 2, [[0, 0, 255, 255, 255, 255], [255, 0, 0, 0, 255, 0]]);

        RgbImage image = ImageDecoder.Decode(bmp);

        Assert.Equal((1f, 0f, 0f), Pixel(image, 0, 0));
        Assert.Equal((0f, 1f, 0f), Pixel(image, 1, 0));
        Assert.Equal((0f, 0f, 1f), Pixel(image, 0, 1));
        Assert.Equal((1f, 1f, 1f), Pixel(image, 1, 1));
    }

    [Fact]
    public void Zero_bytes_is_empty()
    {
        var error = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode([]));
        Assert.Equal(ImageErrorCode.Empty, error.Code);
    }

    [Fact]
    public void Truncated_jpeg_is_truncated_not_a_half_grey_image()
    {
        byte[] jpeg = EncodeWithSkia(TestImages.Pattern(128, 128), SKEncodedImageFormat.Jpeg, 90);
        byte[] cut = jpeg[..(jpeg.Length / 2)];

        var error = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(cut));
        Assert.Equal(ImageErrorCode.Truncated, error.Code);
    }

    [Fact]
    public void Truncated_png_is_truncated()
    {
        byte[] png = ImageEncoder.EncodePng(TestImages.Pattern(128, 128));
        byte[] cut = png[..(png.Length / 2)];

        var error = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(cut));
        Assert.Contains(error.Code, new[] { ImageErrorCode.Truncated, ImageErrorCode.Corrupt });
    }

    [Fact]
    public void Random_bytes_are_an_unsupported_format()
    {
        var bytes = new byte[4096];
        new Random(7).NextBytes(bytes);
        bytes[0] = 0x00; // never a valid magic number by accident

        var error = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(bytes));
        Assert.Equal(ImageErrorCode.UnsupportedFormat, error.Code);
    }

    [Fact]
    public void Text_file_named_jpg_is_an_unsupported_format()
    {
        string path = Path.Combine(Path.GetTempPath(), $"metaqap-{Guid.NewGuid():N}.jpg");
        File.WriteAllText(path, "this is not an image\n");
        try
        {
            var error = Assert.Throws<ImageDecodeException>(() => ImageDecoder.DecodeFile(path));
            Assert.Equal(ImageErrorCode.UnsupportedFormat, error.Code);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Jpeg_with_a_destroyed_huffman_table_is_corrupt()
    {
        byte[] jpeg = BrokenImages.WithDestroyedHuffmanTable(EncodeWithSkia(TestImages.Pattern(64, 64), SKEncodedImageFormat.Jpeg, 90));

        var error = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(jpeg));
        Assert.Contains(error.Code, new[] { ImageErrorCode.Corrupt, ImageErrorCode.Truncated });
    }

    [Fact]
    public void Png_header_declaring_30000_by_30000_is_refused_before_decoding()
    {
        byte[] bomb = BrokenImages.PngHeaderOnly(30000, 30000);

        var error = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(bomb));
        Assert.Equal(ImageErrorCode.TooLarge, error.Code);
        Assert.Contains("30000x30000", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Pixel_limit_is_configurable()
    {
        byte[] png = ImageEncoder.EncodePng(TestImages.Pattern(100, 100));

        var error = Assert.Throws<ImageDecodeException>(
            () => ImageDecoder.Decode(png, new DecodeOptions { MaxPixels = 9_999 }));
        Assert.Equal(ImageErrorCode.TooLarge, error.Code);
        Assert.Equal(100, ImageDecoder.Decode(png, new DecodeOptions { MaxPixels = 10_000 }).Width);
    }

    [Fact]
    public void Byte_limit_is_enforced()
    {
        byte[] png = ImageEncoder.EncodePng(TestImages.Pattern(100, 100));

        var error = Assert.Throws<ImageDecodeException>(
            () => ImageDecoder.Decode(png, new DecodeOptions { MaxBytes = png.Length - 1 }));
        Assert.Equal(ImageErrorCode.TooLarge, error.Code);
    }

    [Theory]
    [InlineData((ushort)6, 0, 0, 0f)] // rotate 90° clockwise: output top-left came from source bottom-left (black)
    [InlineData((ushort)8, 0, 0, 1f)] // rotate 90° anticlockwise: output top-left came from source top-right (white)
    [InlineData((ushort)1, 0, 0, 1f)] // upright: unchanged, source top-left is white
    public void Exif_orientation_is_applied(ushort orientation, int x, int y, float expectedRed)
    {
        // Source 32x16: top half white, bottom half black, so the corners tell where rows and columns went.
        var source = new RgbImage(32, 16);
        for (int c = 0; c < 3; c++)
        {
            for (int row = 0; row < 8; row++)
            {
                for (int col = 0; col < 32; col++)
                {
                    source[c, row, col] = 1f;
                }
            }
        }

        byte[] jpeg = WithExifOrientation(EncodeWithSkia(source, SKEncodedImageFormat.Jpeg, 100), orientation);

        RgbImage image = ImageDecoder.Decode(jpeg);

        bool rotated = orientation is 6 or 8;
        Assert.Equal(rotated ? 16 : 32, image.Width);
        Assert.Equal(rotated ? 32 : 16, image.Height);
        Assert.InRange(image[0, y, x], expectedRed - 0.1f, expectedRed + 0.1f);
        Assert.Equal(32, ImageDecoder.Decode(jpeg, new DecodeOptions { ApplyOrientation = false }).Width);
    }

    [Theory]
    [InlineData(640, 360, 160, 320, 180)]  // 4/8 is the smallest scale keeping the shorter side >= 160
    [InlineData(640, 360, 180, 320, 180)]  // exactly at the minimum
    [InlineData(640, 360, 181, 400, 225)]  // 5/8
    [InlineData(360, 640, 100, 135, 240)]  // portrait, 3/8
    [InlineData(640, 360, 360, 640, 360)]  // already at the minimum: full size
    [InlineData(640, 360, 1000, 640, 360)] // smaller than the minimum: never enlarged
    public void Jpeg_decodes_at_the_smallest_eighth_that_keeps_the_shorter_side(int width, int height, int minimum, int expectedWidth, int expectedHeight)
    {
        byte[] jpeg = EncodeWithSkia(TestImages.Pattern(width, height), SKEncodedImageFormat.Jpeg, 90);

        RgbImage image = ImageDecoder.Decode(jpeg, new DecodeOptions { MinShorterSide = minimum });

        Assert.Equal(expectedWidth, image.Width);
        Assert.Equal(expectedHeight, image.Height);
    }

    [Fact]
    public void Scaled_jpeg_decode_is_a_downscale_of_the_full_decode()
    {
        // A smooth image, so that the 2x2 means of the full decode and libjpeg's half-size IDCT should agree to
        // within JPEG's own error; a wrong scale, offset or channel order would be off by far more.
        var smooth = new RgbImage(256, 128);
        for (int y = 0; y < 128; y++)
        {
            for (int x = 0; x < 256; x++)
            {
                smooth[0, y, x] = x / 255f;
                smooth[1, y, x] = y / 127f;
                smooth[2, y, x] = 0.5f + (0.3f * MathF.Sin(x * 0.05f));
            }
        }

        byte[] jpeg = EncodeWithSkia(smooth, SKEncodedImageFormat.Jpeg, 95);
        RgbImage full = ImageDecoder.Decode(jpeg);
        RgbImage half = ImageDecoder.Decode(jpeg, new DecodeOptions { MinShorterSide = 64 });

        Assert.Equal(128, half.Width);
        double worst = 0;
        for (int c = 0; c < 3; c++)
        {
            for (int y = 0; y < 64; y++)
            {
                for (int x = 0; x < 128; x++)
                {
                    float mean = (full[c, 2 * y, 2 * x] + full[c, 2 * y, (2 * x) + 1] + full[c, (2 * y) + 1, 2 * x] + full[c, (2 * y) + 1, (2 * x) + 1]) / 4;
                    worst = Math.Max(worst, Math.Abs(mean - half[c, y, x]));
                }
            }
        }

        Assert.True(worst < 0.03, $"max abs difference {worst}");
    }

    [Fact]
    public void Png_ignores_the_scaled_decode_and_comes_back_at_full_size()
    {
        byte[] png = ImageEncoder.EncodePng(TestImages.Pattern(200, 100));

        RgbImage image = ImageDecoder.Decode(png, new DecodeOptions { MinShorterSide = 20 });

        Assert.Equal(200, image.Width);
        Assert.Equal(100, image.Height);
    }

    [Fact]
    public void Truncated_jpeg_is_truncated_in_a_scaled_decode_too()
    {
        byte[] jpeg = EncodeWithSkia(TestImages.Pattern(256, 256), SKEncodedImageFormat.Jpeg, 90);
        byte[] cut = jpeg[..(jpeg.Length / 2)];

        var error = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(cut, new DecodeOptions { MinShorterSide = 64 }));
        Assert.Equal(ImageErrorCode.Truncated, error.Code);
    }

    [Fact]
    public void Corrupt_jpeg_is_corrupt_in_a_scaled_decode_too()
    {
        byte[] jpeg = BrokenImages.WithDestroyedHuffmanTable(EncodeWithSkia(TestImages.Pattern(256, 256), SKEncodedImageFormat.Jpeg, 90));

        var error = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(jpeg, new DecodeOptions { MinShorterSide = 64 }));
        Assert.Contains(error.Code, new[] { ImageErrorCode.Corrupt, ImageErrorCode.Truncated });
    }

    [Fact]
    public void Exif_orientation_is_applied_to_a_scaled_decode()
    {
        byte[] jpeg = WithExifOrientation(EncodeWithSkia(TestImages.Pattern(256, 128), SKEncodedImageFormat.Jpeg, 90), 6);

        RgbImage image = ImageDecoder.Decode(jpeg, new DecodeOptions { MinShorterSide = 64 });

        Assert.Equal(64, image.Width);
        Assert.Equal(128, image.Height);
    }

    private static (float R, float G, float B) Pixel(RgbImage image, int x, int y) =>
        (image[0, y, x], image[1, y, x], image[2, y, x]);

    internal static byte[] EncodeWithSkia(RgbImage image, SKEncodedImageFormat format, int quality)
    {
        using SKBitmap bitmap = ImageEncoder.ToBitmap(image);
        using SKData data = bitmap.Encode(format, quality);
        return data.ToArray();
    }

    private static byte[] Bmp24(int width, int height, byte[][] bottomUpRowsRgb)
    {
        int rowSize = ((width * 3) + 3) & ~3;
        int size = 54 + (rowSize * height);
        var bmp = new byte[size];
        bmp[0] = (byte)'B';
        bmp[1] = (byte)'M';
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(2), size);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(10), 54);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(14), 40);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(18), width);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(22), height);
        BinaryPrimitives.WriteInt16LittleEndian(bmp.AsSpan(26), 1);
        BinaryPrimitives.WriteInt16LittleEndian(bmp.AsSpan(28), 24);
        for (int row = 0; row < height; row++)
        {
            for (int x = 0; x < width; x++)
            {
                int o = 54 + (row * rowSize) + (x * 3);
                bmp[o] = bottomUpRowsRgb[row][(x * 3) + 2]; // stored as BGR
                bmp[o + 1] = bottomUpRowsRgb[row][(x * 3) + 1];
                bmp[o + 2] = bottomUpRowsRgb[row][x * 3];
            }
        }

        return bmp;
    }

    /// <summary>Inserts an APP1 Exif segment with one Orientation tag right after the JPEG's SOI marker.</summary>
    private static byte[] WithExifOrientation(byte[] jpeg, ushort orientation)
    {
        byte[] tiff =
        [
            (byte)'I', (byte)'I', 42, 0, 8, 0, 0, 0, // little-endian TIFF header, IFD at offset 8
            1, 0, // one entry
            0x12, 0x01, 3, 0, 1, 0, 0, 0, (byte)orientation, (byte)(orientation >> 8), 0, 0, // Orientation, SHORT, 1
            0, 0, 0, 0, // no next IFD
        ];
        byte[] payload = [.. "Exif\0\0"u8, .. tiff];
        int length = payload.Length + 2;
        byte[] segment = [0xFF, 0xE1, (byte)(length >> 8), (byte)length, .. payload];
        return [jpeg[0], jpeg[1], .. segment, .. jpeg.AsSpan(2)];
    }
}
