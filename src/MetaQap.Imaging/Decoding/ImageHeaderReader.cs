using System.Buffers.Binary;

namespace MetaQap.Imaging.Decoding;

/// <summary>
/// Reads format and declared size from the header bytes of JPEG, PNG, WebP and BMP. This runs before any codec
/// sees the data, so a decompression bomb (a tiny file declaring billions of pixels) is refused without
/// allocating its pixels, and unsupported or non-image bytes are named as such.
/// </summary>
public static class ImageHeaderReader
{
    private static ReadOnlySpan<byte> PngSignature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    public static ImageHeader Read(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            throw new ImageDecodeException(ImageErrorCode.Empty, "The image has zero bytes.");
        }

        if (data.StartsWith(PngSignature))
        {
            return ReadPng(data);
        }

        if (data.Length >= 2 && data[0] == 0xFF && data[1] == 0xD8)
        {
            return ReadJpeg(data);
        }

        if (data.Length >= 12 && data[..4].SequenceEqual("RIFF"u8) && data.Slice(8, 4).SequenceEqual("WEBP"u8))
        {
            return ReadWebp(data);
        }

        if (data.Length >= 2 && data[0] == (byte)'B' && data[1] == (byte)'M')
        {
            return ReadBmp(data);
        }

        throw new ImageDecodeException(ImageErrorCode.UnsupportedFormat,
            "The bytes are not a JPEG, PNG, WebP or BMP image.");
    }

    private static ImageHeader ReadPng(ReadOnlySpan<byte> data)
    {
        // Signature, then the IHDR chunk: length (4), type (4), width (4, BE), height (4, BE).
        RequireLength(data, 24, "PNG header");
        if (!data.Slice(12, 4).SequenceEqual("IHDR"u8))
        {
            throw new ImageDecodeException(ImageErrorCode.Corrupt, "The PNG does not start with an IHDR chunk.");
        }

        return Checked(ImageFormat.Png,
            BinaryPrimitives.ReadUInt32BigEndian(data.Slice(16, 4)),
            BinaryPrimitives.ReadUInt32BigEndian(data.Slice(20, 4)));
    }

    private static ImageHeader ReadJpeg(ReadOnlySpan<byte> data)
    {
        int pos = 2;
        while (true)
        {
            // Markers may be preceded by any number of 0xFF fill bytes.
            RequireLength(data, pos + 2, "JPEG header");
            if (data[pos] != 0xFF)
            {
                throw new ImageDecodeException(ImageErrorCode.Corrupt, $"JPEG marker expected at byte {pos}.");
            }

            while (data[pos + 1] == 0xFF)
            {
                pos++;
                RequireLength(data, pos + 2, "JPEG header");
            }

            byte marker = data[pos + 1];
            pos += 2;
            if (marker is 0x01 or (>= 0xD0 and <= 0xD7))
            {
                continue; // standalone markers carry no length
            }

            if (marker is 0xD9 or 0xDA)
            {
                throw new ImageDecodeException(ImageErrorCode.Corrupt, "The JPEG has no frame header before its image data.");
            }

            RequireLength(data, pos + 2, "JPEG header");
            int length = BinaryPrimitives.ReadUInt16BigEndian(data.Slice(pos, 2));
            if (length < 2)
            {
                throw new ImageDecodeException(ImageErrorCode.Corrupt, $"JPEG segment at byte {pos} has length {length}.");
            }

            if (IsStartOfFrame(marker))
            {
                // Length (2), precision (1), height (2), width (2).
                RequireLength(data, pos + 7, "JPEG frame header");
                return Checked(ImageFormat.Jpeg,
                    BinaryPrimitives.ReadUInt16BigEndian(data.Slice(pos + 5, 2)),
                    BinaryPrimitives.ReadUInt16BigEndian(data.Slice(pos + 3, 2)));
            }

            pos += length;
        }
    }

    private static bool IsStartOfFrame(byte marker) =>
        marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC;

    private static ImageHeader ReadWebp(ReadOnlySpan<byte> data)
    {
        RequireLength(data, 30, "WebP header");
        ReadOnlySpan<byte> chunk = data.Slice(12, 4);
        if (chunk.SequenceEqual("VP8X"u8))
        {
            // Flags (4) at 20, then canvas width-1 and height-1 as 24-bit little-endian values.
            uint w = (uint)(data[24] | (data[25] << 8) | (data[26] << 16)) + 1;
            uint h = (uint)(data[27] | (data[28] << 8) | (data[29] << 16)) + 1;
            return Checked(ImageFormat.Webp, w, h);
        }

        if (chunk.SequenceEqual("VP8L"u8))
        {
            // Signature byte 0x2F at 20, then 14 bits width-1 and 14 bits height-1.
            if (data[20] != 0x2F)
            {
                throw new ImageDecodeException(ImageErrorCode.Corrupt, "The lossless WebP has a bad signature.");
            }

            uint bits = BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(21, 4));
            return Checked(ImageFormat.Webp, (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1);
        }

        if (chunk.SequenceEqual("VP8 "u8))
        {
            // Frame tag (3) at 20, start code 9D 01 2A at 23, then 14-bit width and height at 26 and 28.
            if (data[23] != 0x9D || data[24] != 0x01 || data[25] != 0x2A)
            {
                throw new ImageDecodeException(ImageErrorCode.Corrupt, "The lossy WebP has a bad start code.");
            }

            return Checked(ImageFormat.Webp,
                BinaryPrimitives.ReadUInt16LittleEndian(data.Slice(26, 2)) & 0x3FFFu,
                BinaryPrimitives.ReadUInt16LittleEndian(data.Slice(28, 2)) & 0x3FFFu);
        }

        throw new ImageDecodeException(ImageErrorCode.Corrupt, "The WebP has no VP8, VP8L or VP8X chunk.");
    }

    private static ImageHeader ReadBmp(ReadOnlySpan<byte> data)
    {
        RequireLength(data, 26, "BMP header");
        uint dibSize = BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(14, 4));
        if (dibSize == 12)
        {
            return Checked(ImageFormat.Bmp,
                BinaryPrimitives.ReadUInt16LittleEndian(data.Slice(18, 2)),
                BinaryPrimitives.ReadUInt16LittleEndian(data.Slice(20, 2)));
        }

        // Negative height means rows are stored top-down; the size is its magnitude.
        int width = BinaryPrimitives.ReadInt32LittleEndian(data.Slice(18, 4));
        int height = BinaryPrimitives.ReadInt32LittleEndian(data.Slice(22, 4));
        if (width <= 0 || height == 0 || height == int.MinValue)
        {
            throw new ImageDecodeException(ImageErrorCode.Corrupt, $"The BMP declares an invalid size {width}x{height}.");
        }

        return Checked(ImageFormat.Bmp, (uint)width, (uint)Math.Abs(height));
    }

    private static ImageHeader Checked(ImageFormat format, uint width, uint height)
    {
        if (width == 0 || height == 0 || width > int.MaxValue || height > int.MaxValue)
        {
            throw new ImageDecodeException(ImageErrorCode.Corrupt, $"The {format} header declares an invalid size {width}x{height}.");
        }

        return new ImageHeader(format, (int)width, (int)height);
    }

    private static void RequireLength(ReadOnlySpan<byte> data, int length, string what)
    {
        if (data.Length < length)
        {
            throw new ImageDecodeException(ImageErrorCode.Truncated, $"The file ends inside its {what} ({data.Length} bytes).");
        }
    }
}
