using MetaQap.Imaging.Pixels;

namespace MetaQap.Imaging.Tests;

/// <summary>Small deterministic images for tests: gradients, edges and seeded texture.</summary>
internal static class TestImages
{
    public static RgbImage Pattern(int width, int height, int seed = 1)
    {
        var rng = new Random(seed);
        var image = new RgbImage(width, height);
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                float gx = (float)x / width, gy = (float)y / height;
                bool block = ((x / 8) + (y / 8)) % 2 == 0;
                float noise = (float)rng.NextDouble() * 0.1f;
                image[0, y, x] = Math.Clamp((0.2f + (0.6f * gx)) + noise, 0f, 1f);
                image[1, y, x] = Math.Clamp((block ? 0.7f : 0.3f) + noise, 0f, 1f);
                image[2, y, x] = Math.Clamp(0.5f + (0.4f * MathF.Sin(gy * 12f)) + noise, 0f, 1f);
            }
        }

        return image;
    }
}
