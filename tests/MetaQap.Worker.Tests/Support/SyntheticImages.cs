using System.Buffers.Binary;
using MetaQap.Imaging.Pixels;

namespace MetaQap.Worker.Tests.Support;

/// <summary>Seeded test content (rectangles and gratings) and broken files.</summary>
internal static class SyntheticImages
{
    public static RgbImage Content(int size, int seed)
    {
        var rng = new Random(seed);
        var image = new RgbImage(size, size);
        float baseR = (float)rng.NextDouble(), baseG = (float)rng.NextDouble(), baseB = (float)rng.NextDouble();
        double frequency = 0.2 + (rng.NextDouble() * 0.6), angle = rng.NextDouble() * Math.PI;
        var rects = Enumerable.Range(0, 6).Select(_ => (X: rng.Next(size), Y: rng.Next(size), W: 4 + rng.Next(size / 2),
            H: 4 + rng.Next(size / 2), Value: (float)rng.NextDouble())).ToArray();
        for (int y = 0; y < size; y++)
        {
            for (int x = 0; x < size; x++)
            {
                float grating = 0.25f * (float)Math.Sin(frequency * ((x * Math.Cos(angle)) + (y * Math.Sin(angle))));
                float rect = 0;
                foreach (var r in rects)
                {
                    if (x >= r.X && x < r.X + r.W && y >= r.Y && y < r.Y + r.H)
                    {
                        rect = r.Value - 0.5f;
                    }
                }

                image[0, y, x] = Math.Clamp((baseR * 0.5f) + grating + rect + 0.25f, 0f, 1f);
                image[1, y, x] = Math.Clamp((baseG * 0.5f) + grating - rect + 0.25f, 0f, 1f);
                image[2, y, x] = Math.Clamp((baseB * 0.5f) + (0.5f * grating) + rect + 0.25f, 0f, 1f);
            }
        }

        return image;
    }

    /// <summary>A valid PNG signature and IHDR declaring width × height, with an empty image stream.</summary>
    public static byte[] PngHeaderOnly(int width, int height)
    {
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8;
        ihdr[9] = 2;
        using var stream = new MemoryStream();
        stream.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        WriteChunk(stream, "IHDR"u8, ihdr);
        WriteChunk(stream, "IDAT"u8, [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]);
        WriteChunk(stream, "IEND"u8, []);
        return stream.ToArray();
    }

    /// <summary>A JPEG whose first Huffman table is overwritten: a header a decoder must refuse.</summary>
    public static byte[] CorruptJpeg(int seed)
    {
        byte[] jpeg = ImageEncoder.EncodeJpeg(Content(64, seed), 90);
        for (int i = 2; i + 1 < jpeg.Length; i++)
        {
            if (jpeg[i] == 0xFF && jpeg[i + 1] == 0xC4)
            {
                jpeg.AsSpan(i + 4, 17).Fill(0xFF);
                return jpeg;
            }
        }

        throw new InvalidOperationException("The encoder wrote no Huffman table.");
    }

    private static void WriteChunk(Stream stream, ReadOnlySpan<byte> type, ReadOnlySpan<byte> payload)
    {
        Span<byte> u32 = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(u32, payload.Length);
        stream.Write(u32);
        byte[] typed = [.. type, .. payload];
        stream.Write(typed);
        BinaryPrimitives.WriteUInt32BigEndian(u32, Crc32(typed));
        stream.Write(u32);
    }

    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
            }
        }

        return ~crc;
    }
}
