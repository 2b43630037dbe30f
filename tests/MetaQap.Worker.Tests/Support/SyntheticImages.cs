using MetaQap.Imaging.Pixels;
using MetaQap.Testing;

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

    /// <summary>A JPEG whose first Huffman table is overwritten: a header a decoder must refuse.</summary>
    public static byte[] CorruptJpeg(int seed)
    {
        return BrokenImages.WithDestroyedHuffmanTable(ImageEncoder.EncodeJpeg(Content(64, seed), 90));
    }
}
