using System.Buffers.Binary;

namespace MetaQap.Testing;

/// <summary>
/// Hostile image files built byte by byte, shared by the decoder tests and the worker's end-to-end tests
/// (linked into both test projects).
/// </summary>
public static class BrokenImages
{
    /// <summary>A valid PNG signature and IHDR declaring width × height, with an empty image stream: a decompression bomb's header.</summary>
    public static byte[] PngHeaderOnly(int width, int height)
    {
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8; // bit depth
        ihdr[9] = 2; // truecolour
        using var stream = new MemoryStream();
        stream.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        WritePngChunk(stream, "IHDR"u8, ihdr);
        WritePngChunk(stream, "IDAT"u8, [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]);
        WritePngChunk(stream, "IEND"u8, []);
        return stream.ToArray();
    }

    /// <summary>
    /// The JPEG with its first Huffman table overwritten (in place): a header a decoder must refuse. Garbage in the
    /// entropy-coded data instead decodes "successfully" into garbage pixels in every libjpeg.
    /// </summary>
    public static byte[] WithDestroyedHuffmanTable(byte[] jpeg)
    {
        for (int i = 2; i + 1 < jpeg.Length; i++)
        {
            if (jpeg[i] == 0xFF && jpeg[i + 1] == 0xC4)
            {
                jpeg.AsSpan(i + 4, 17).Fill(0xFF);
                return jpeg;
            }
        }

        throw new InvalidOperationException("The JPEG has no Huffman table.");
    }

    /// <summary>One PNG chunk: length, type, payload and the CRC-32 of type and payload.</summary>
    public static void WritePngChunk(Stream stream, ReadOnlySpan<byte> type, ReadOnlySpan<byte> payload)
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
