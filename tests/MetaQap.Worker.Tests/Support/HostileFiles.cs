using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using MetaQap.Imaging.Pixels;
using MetaQap.Testing;
using SkiaSharp;

namespace MetaQap.Worker.Tests.Support;

/// <summary>
/// Unusual and hostile image files built byte by byte (the encoders write only plain 8-bit RGB): animation, CMYK,
/// 16 bits per channel, an EXIF rotation, a header declaring a huge size.
/// </summary>
internal static class HostileFiles
{
    /// <summary>
    /// 16×16 CMYK JPEG with an Adobe APP14 marker: left half cyan ink, right half black ink. Produced by
    /// <c>/usr/bin/python3 tools/reference/cmyk_jpeg.py</c> (Pillow 9.4).
    /// </summary>
    public const string CmykJpegBase64 =
        "/9j/7gAOQWRvYmUAZAAAAAAA/9sAQwACAQEBAQECAQEBAgICAgIEAwICAgIFBAQDBAYFBgYGBQYGBgcJCAYHCQcGBggLCAkKCgoK"
        + "CgYICwwLCgwJCgoK/8AAFAgAEAAQBEMRAE0RAFkRAEsRAP/EAB8AAAEFAQEBAQEBAAAAAAAAAAABAgMEBQYHCAkKC//EALUQAAIB"
        + "AwMCBAMFBQQEAAABfQECAwAEEQUSITFBBhNRYQcicRQygZGhCCNCscEVUtHwJDNicoIJChYXGBkaJSYnKCkqNDU2Nzg5OkNERUZH"
        + "SElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6g4SFhoeIiYqSk5SVlpeYmZqio6Slpqeoqaqys7S1tre4ubrCw8TFxsfIycrS09TV"
        + "1tfY2drh4uPk5ebn6Onq8fLz9PX29/j5+v/aAA4EQwBNAFkASwAAPwD+f+v38r9/K/fyv7/KKK/gDr+AOiiv7/K/v8oor+AOv//Z";

    /// <summary>A GIF89a that loops two 1×1 frames (red, then blue): a format the worker does not take.</summary>
    public static byte[] AnimatedGif() =>
    [
        .. "GIF89a"u8, 0x01, 0x00, 0x01, 0x00, 0xF0, 0x00, 0x00, // 1×1 screen, 2-colour global table
        0xFF, 0x00, 0x00, 0x00, 0x00, 0xFF, // red, blue
        0x21, 0xFF, 0x0B, .. "NETSCAPE2.0"u8, 0x03, 0x01, 0x00, 0x00, 0x00, // loop forever
        0x21, 0xF9, 0x04, 0x00, 0x0A, 0x00, 0x00, 0x00, 0x2C, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00,
        0x02, 0x02, 0x44, 0x01, 0x00, // LZW: clear, index 0, end
        0x21, 0xF9, 0x04, 0x00, 0x0A, 0x00, 0x00, 0x00, 0x2C, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00,
        0x02, 0x02, 0x4C, 0x01, 0x00, // LZW: clear, index 1, end
        0x3B,
    ];

    /// <summary>
    /// An animated WebP (VP8X with the animation flag, ANIM, one ANMF per frame) whose frames are solid colours, each
    /// frame's bitstream encoded by Skia.
    /// </summary>
    public static byte[] AnimatedWebp(int width, int height, params (float R, float G, float B)[] frames)
    {
        using var body = new MemoryStream();
        body.Write("WEBP"u8);
        byte[] vp8x = new byte[10];
        vp8x[0] = 0x02; // animation
        WriteUInt24(vp8x.AsSpan(4), width - 1);
        WriteUInt24(vp8x.AsSpan(7), height - 1);
        WriteChunk(body, "VP8X", vp8x);
        WriteChunk(body, "ANIM", [0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00]);
        foreach ((float r, float g, float b) in frames)
        {
            byte[] bitstream = FrameChunks(Solid(width, height, r, g, b));
            byte[] anmf = new byte[16 + bitstream.Length];
            WriteUInt24(anmf.AsSpan(6), width - 1);
            WriteUInt24(anmf.AsSpan(9), height - 1);
            WriteUInt24(anmf.AsSpan(12), 100); // ms
            bitstream.CopyTo(anmf, 16);
            WriteChunk(body, "ANMF", anmf);
        }

        byte[] riff = new byte[8 + body.Length];
        "RIFF"u8.CopyTo(riff);
        BinaryPrimitives.WriteInt32LittleEndian(riff.AsSpan(4), (int)body.Length);
        body.ToArray().CopyTo(riff, 8);
        return riff;
    }

    /// <summary>An 8×8 PNG with 16 bits per channel, every pixel (r, g, b) on the 0–65535 scale.</summary>
    public static byte[] Png16(ushort r, ushort g, ushort b)
    {
        const int Size = 8;
        byte[] ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, Size);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), Size);
        ihdr[8] = 16; // bits per channel
        ihdr[9] = 2; // truecolour
        byte[] raw = new byte[Size * (1 + (Size * 6))];
        for (int y = 0; y < Size; y++)
        {
            int row = y * (1 + (Size * 6)); // filter byte 0 (none), then the pixels
            for (int x = 0; x < Size; x++)
            {
                Span<byte> pixel = raw.AsSpan(row + 1 + (x * 6), 6);
                BinaryPrimitives.WriteUInt16BigEndian(pixel, r);
                BinaryPrimitives.WriteUInt16BigEndian(pixel[2..], g);
                BinaryPrimitives.WriteUInt16BigEndian(pixel[4..], b);
            }
        }

        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write(raw);
        }

        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        BrokenImages.WritePngChunk(png, "IHDR"u8, ihdr);
        BrokenImages.WritePngChunk(png, "IDAT"u8, compressed.ToArray());
        BrokenImages.WritePngChunk(png, "IEND"u8, []);
        return png.ToArray();
    }

    /// <summary>A 32×16 JPEG, top half white and bottom half black, with an EXIF Orientation tag.</summary>
    public static byte[] ExifOrientedJpeg(ushort orientation)
    {
        var image = new RgbImage(32, 16);
        for (int c = 0; c < 3; c++)
        {
            image.Plane(c)[..(32 * 8)].Fill(1f);
        }

        byte[] jpeg = ImageEncoder.EncodeJpeg(image, 95);
        byte[] tiff =
        [
            (byte)'I', (byte)'I', 42, 0, 8, 0, 0, 0, // little-endian TIFF, first IFD at 8
            1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, (byte)orientation, (byte)(orientation >> 8), 0, 0, // Orientation (SHORT)
            0, 0, 0, 0,
        ];
        byte[] payload = [.. "Exif\0\0"u8, .. tiff];
        int length = payload.Length + 2;
        return [jpeg[0], jpeg[1], 0xFF, 0xE1, (byte)(length >> 8), (byte)length, .. payload, .. jpeg.AsSpan(2)];
    }

    /// <summary>A real JPEG whose frame header is rewritten to declare <paramref name="width"/>×<paramref name="height"/>.</summary>
    public static byte[] JpegDeclaring(ushort width, ushort height)
    {
        byte[] jpeg = ImageEncoder.EncodeJpeg(SyntheticImages.Content(16, seed: 1), 90);
        for (int i = 2; i + 8 < jpeg.Length; i++)
        {
            if (jpeg[i] == 0xFF && jpeg[i + 1] is 0xC0 or 0xC2)
            {
                BinaryPrimitives.WriteUInt16BigEndian(jpeg.AsSpan(i + 5), height);
                BinaryPrimitives.WriteUInt16BigEndian(jpeg.AsSpan(i + 7), width);
                return jpeg;
            }
        }

        throw new InvalidOperationException("The JPEG has no frame header.");
    }

    private static RgbImage Solid(int width, int height, float r, float g, float b)
    {
        var image = new RgbImage(width, height);
        image.Plane(0).Fill(r);
        image.Plane(1).Fill(g);
        image.Plane(2).Fill(b);
        return image;
    }

    /// <summary>The chunks after the RIFF header of a single-image WebP (its VP8X, if any, left out).</summary>
    private static byte[] FrameChunks(RgbImage frame)
    {
        using SKBitmap bitmap = ImageEncoder.ToBitmap(frame);
        using SKData data = bitmap.Encode(SKEncodedImageFormat.Webp, 90);
        byte[] webp = data.ToArray();
        int start = 12;
        if (webp.AsSpan(12, 4).SequenceEqual("VP8X"u8))
        {
            start += 8 + BinaryPrimitives.ReadInt32LittleEndian(webp.AsSpan(16, 4));
        }

        return webp[start..];
    }

    private static void WriteChunk(Stream stream, string fourCc, byte[] payload)
    {
        stream.Write(Encoding.ASCII.GetBytes(fourCc));
        Span<byte> size = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(size, payload.Length);
        stream.Write(size);
        stream.Write(payload);
        if (payload.Length % 2 == 1)
        {
            stream.WriteByte(0);
        }
    }

    private static void WriteUInt24(Span<byte> target, int value)
    {
        target[0] = (byte)value;
        target[1] = (byte)(value >> 8);
        target[2] = (byte)(value >> 16);
    }
}
