using MetaQap.Imaging.Pixels;
using SkiaSharp;

namespace MetaQap.Imaging.Tests.Distortions;

/// <summary>Small synthetic images with the structures distortions act on: flat areas, edges, gradients, texture.</summary>
internal static class TestImages
{
    private const int TextureCell = 6;

    /// <summary>
    /// A seeded colour pattern spanning exactly [0, 1]: a diagonal colour gradient, a dark disc, a bright bar,
    /// randomly placed coloured rectangles and smooth non-periodic texture (bilinear value noise) with a little
    /// per-pixel grain. Nothing periodic, so shifts and resampling cannot line up with themselves.
    /// </summary>
    public static RgbImage Pattern(int width = 96, int height = 96, int seed = 7)
    {
        var random = new Random(seed);
        var rectangles = new (int X0, int Y0, int X1, int Y1, float R, float G, float B)[6];
        for (int i = 0; i < rectangles.Length; i++)
        {
            int x0 = random.Next(width), y0 = random.Next(height);
            rectangles[i] = (x0, y0, x0 + 3 + random.Next(Math.Max(1, width / 5)), y0 + 3 + random.Next(Math.Max(1, height / 5)),
                (float)random.NextDouble(), (float)random.NextDouble(), (float)random.NextDouble());
        }

        int gridW = (width / TextureCell) + 2, gridH = (height / TextureCell) + 2;
        var grid = new float[gridW * gridH];
        for (int i = 0; i < grid.Length; i++)
        {
            grid[i] = (float)(random.NextDouble() - 0.5) * 0.2f;
        }

        var image = new RgbImage(width, height);
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                float u = (float)x / Math.Max(1, width - 1), v = (float)y / Math.Max(1, height - 1);
                float r = 0.15f + (0.7f * u), g = 0.15f + (0.7f * v), b = 0.85f - (0.35f * (u + v));
                float dx = x - (width * 0.35f), dy = y - (height * 0.4f);
                if ((dx * dx) + (dy * dy) < width * height * 0.04f)
                {
                    (r, g, b) = (0.1f, 0.05f, 0.3f);
                }

                if (y > height * 0.7f && y < height * 0.8f && x > width * 0.2f)
                {
                    (r, g, b) = (0.95f, 0.9f, 0.2f);
                }

                foreach (var rect in rectangles)
                {
                    if (x >= rect.X0 && x < rect.X1 && y >= rect.Y0 && y < rect.Y1)
                    {
                        (r, g, b) = (rect.R, rect.G, rect.B);
                    }
                }

                float texture = ValueNoise(grid, gridW, x, y) + ((float)(random.NextDouble() - 0.5) * 0.02f);
                image[0, y, x] = Math.Clamp(r + texture, 0f, 1f);
                image[1, y, x] = Math.Clamp(g + texture, 0f, 1f);
                image[2, y, x] = Math.Clamp(b + texture, 0f, 1f);
            }
        }

        for (int c = 0; c < RgbImage.Channels; c++)
        {
            image[c, 0, 0] = 0f;
            image[c, height - 1, width - 1] = 1f;
        }

        return image;
    }

    /// <summary>An 8-bit PNG from tools/reference (found by walking up from the test binaries to the repository).</summary>
    public static RgbImage Reference(string fileName)
    {
        string? directory = AppContext.BaseDirectory;
        while (directory is not null && !File.Exists(Path.Combine(directory, "tools", "reference", fileName)))
        {
            directory = Path.GetDirectoryName(directory);
        }

        string path = directory is null
            ? throw new FileNotFoundException($"tools/reference/{fileName} not found above {AppContext.BaseDirectory}.")
            : Path.Combine(directory, "tools", "reference", fileName);
        using SKBitmap decoded = SKBitmap.Decode(path);
        using SKBitmap bitmap = decoded.Copy(SKColorType.Rgba8888);
        var image = new RgbImage(bitmap.Width, bitmap.Height);
        ReadOnlySpan<byte> pixels = bitmap.GetPixelSpan();
        for (int i = 0; i < image.PlaneSize; i++)
        {
            image.Data[i] = pixels[4 * i] / 255f;
            image.Data[image.PlaneSize + i] = pixels[(4 * i) + 1] / 255f;
            image.Data[(2 * image.PlaneSize) + i] = pixels[(4 * i) + 2] / 255f;
        }

        return image;
    }

    public static double MeanSquaredDifference(RgbImage a, RgbImage b)
    {
        double sum = 0;
        for (int i = 0; i < a.Data.Length; i++)
        {
            double d = a.Data[i] - b.Data[i];
            sum += d * d;
        }

        return sum / a.Data.Length;
    }

    private static float ValueNoise(float[] grid, int gridWidth, int x, int y)
    {
        int gx = x / TextureCell, gy = y / TextureCell;
        float fx = (float)(x % TextureCell) / TextureCell, fy = (float)(y % TextureCell) / TextureCell;
        float top = grid[(gy * gridWidth) + gx] + (fx * (grid[(gy * gridWidth) + gx + 1] - grid[(gy * gridWidth) + gx]));
        float bottom = grid[((gy + 1) * gridWidth) + gx] + (fx * (grid[((gy + 1) * gridWidth) + gx + 1] - grid[((gy + 1) * gridWidth) + gx]));
        return top + (fy * (bottom - top));
    }
}
