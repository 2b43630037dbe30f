using MetaQap.Imaging.Pixels;

namespace MetaQap.Imaging.Distortions.Families;

/// <summary>
/// KADID 6, imcolorquantize: rgb2ind(I, n) then ind2rgb, i.e. minimum-variance palette of n colours and
/// Floyd–Steinberg dithering (rgb2ind dithers by default). The palette comes from Wu's greedy split of a
/// 32x32x32 colour histogram: the box with the largest squared error is cut where the two halves' summed
/// squared error is smallest, until there are n boxes; each palette colour is its box's mean.
/// </summary>
internal static class ColorQuantizer
{
    public static RgbImage Quantize(RgbImage image, int colours)
    {
        using var moments = ColorMoments.Build(image);
        List<ColorBox> boxes = Split(moments, colours);
        var palette = new ColorPalette(boxes.Count);
        for (int i = 0; i < boxes.Count; i++)
        {
            (float r, float g, float b) = moments.Mean(boxes[i]);
            palette.Set(i, r, g, b);
        }

        palette.Seal();
        Dither(image, palette);
        return image;
    }

    private static List<ColorBox> Split(ColorMoments moments, int colours)
    {
        var boxes = new List<ColorBox> { ColorMoments.Everything };
        var variance = new List<double> { moments.SquaredError(boxes[0]) };
        while (boxes.Count < colours)
        {
            int worst = -1;
            for (int i = 0; i < boxes.Count; i++)
            {
                if (variance[i] > 0 && (worst < 0 || variance[i] > variance[worst]))
                {
                    worst = i;
                }
            }

            if (worst < 0)
            {
                break; // every box is a single colour: the image needs fewer colours than requested
            }

            if (!moments.TryCut(boxes[worst], out ColorBox first, out ColorBox second))
            {
                variance[worst] = 0; // all its pixels share one histogram cell
                continue;
            }

            boxes[worst] = first;
            variance[worst] = first.Cells > 1 ? moments.SquaredError(first) : 0;
            boxes.Add(second);
            variance.Add(second.Cells > 1 ? moments.SquaredError(second) : 0);
        }

        return boxes;
    }

    /// <summary>Raster Floyd–Steinberg: each pixel takes the nearest palette colour, its error goes to unvisited neighbours.</summary>
    private static void Dither(RgbImage image, ColorPalette palette)
    {
        int width = image.Width, height = image.Height;
        Span<float> r = image.Plane(0), g = image.Plane(1), b = image.Plane(2);
        var current = new float[3 * (width + 2)];
        var next = new float[3 * (width + 2)];
        int previous = 0;
        for (int y = 0; y < height; y++)
        {
            Array.Clear(next);
            for (int x = 0; x < width; x++)
            {
                int i = (y * width) + x;
                int e = 3 * (x + 1);
                float vr = Math.Clamp(r[i] + current[e], 0f, 1f);
                float vg = Math.Clamp(g[i] + current[e + 1], 0f, 1f);
                float vb = Math.Clamp(b[i] + current[e + 2], 0f, 1f);
                int k = palette.Nearest(vr, vg, vb, previous);
                previous = k;
                (r[i], g[i], b[i]) = palette[k];
                Spread(current, next, e, vr - r[i], 0);
                Spread(current, next, e, vg - g[i], 1);
                Spread(current, next, e, vb - b[i], 2);
            }

            (current, next) = (next, current);
        }
    }

    private static void Spread(float[] current, float[] next, int e, float error, int c)
    {
        current[e + 3 + c] += error * (7f / 16f);
        next[e - 3 + c] += error * (3f / 16f);
        next[e + c] += error * (5f / 16f);
        next[e + 3 + c] += error * (1f / 16f);
    }
}
