using MetaQap.Imaging.Pixels;

namespace MetaQap.Imaging.Distortions;

/// <summary>
/// Minimum-variance colour quantisation (as MATLAB's rgb2ind(..., 'nodither')): the colour box with the largest
/// squared error is split at the mean of its widest axis until there are N boxes; each pixel takes its nearest box
/// mean. The palette is built from a seeded sample of at most 4096 pixels so large images stay fast.
/// </summary>
internal static class PaletteQuantizer
{
    private const int MaxSample = 4096;

    public static void Apply(RgbImage image, int colors, Random rng)
    {
        float[][] sample = Sample(image, rng);
        var boxes = new List<float[][]> { sample };
        var errors = new List<double> { SquaredError(sample) };
        while (boxes.Count < colors)
        {
            int worst = -1;
            double worstError = 0;
            for (int b = 0; b < boxes.Count; b++)
            {
                if (boxes[b].Length > 1 && errors[b] > worstError)
                {
                    worst = b;
                    worstError = errors[b];
                }
            }

            if (worst < 0)
            {
                break; // fewer distinct colours than requested
            }

            (float[][] low, float[][] high) = Split(boxes[worst]);
            boxes[worst] = low;
            errors[worst] = SquaredError(low);
            boxes.Add(high);
            errors.Add(SquaredError(high));
        }

        float[][] palette = [.. boxes.Select(Mean)];
        Span<float> r = image.Plane(0), g = image.Plane(1), bl = image.Plane(2);
        for (int i = 0; i < r.Length; i++)
        {
            float[] best = palette[0];
            float bestDistance = float.MaxValue;
            foreach (float[] p in palette)
            {
                float d = ((r[i] - p[0]) * (r[i] - p[0])) + ((g[i] - p[1]) * (g[i] - p[1])) + ((bl[i] - p[2]) * (bl[i] - p[2]));
                if (d < bestDistance)
                {
                    bestDistance = d;
                    best = p;
                }
            }

            (r[i], g[i], bl[i]) = (best[0], best[1], best[2]);
        }
    }

    private static float[][] Sample(RgbImage image, Random rng)
    {
        int n = Math.Min(MaxSample, image.PlaneSize);
        var sample = new float[n][];
        for (int k = 0; k < n; k++)
        {
            int i = n == image.PlaneSize ? k : rng.Next(image.PlaneSize);
            sample[k] = [image.Data[i], image.Data[image.PlaneSize + i], image.Data[(2 * image.PlaneSize) + i]];
        }

        return sample;
    }

    private static float[] Mean(float[][] box)
    {
        var mean = new float[3];
        foreach (float[] p in box)
        {
            mean[0] += p[0];
            mean[1] += p[1];
            mean[2] += p[2];
        }

        for (int c = 0; c < 3; c++)
        {
            mean[c] /= box.Length;
        }

        return mean;
    }

    private static double SquaredError(float[][] box)
    {
        float[] mean = Mean(box);
        double error = 0;
        foreach (float[] p in box)
        {
            for (int c = 0; c < 3; c++)
            {
                error += (p[c] - mean[c]) * (p[c] - mean[c]);
            }
        }

        return error;
    }

    private static (float[][] Low, float[][] High) Split(float[][] box)
    {
        float[] mean = Mean(box);
        int axis = 0;
        double widest = -1;
        for (int c = 0; c < 3; c++)
        {
            double variance = box.Sum(p => (p[c] - mean[c]) * (p[c] - mean[c]));
            if (variance > widest)
            {
                widest = variance;
                axis = c;
            }
        }

        float[][] low = [.. box.Where(p => p[axis] <= mean[axis])];
        float[][] high = [.. box.Where(p => p[axis] > mean[axis])];
        if (low.Length == 0 || high.Length == 0)
        {
            // All samples equal on that axis: split by count so the loop still makes progress.
            float[][] sorted = [.. box.OrderBy(p => p[axis])];
            return (sorted[..(sorted.Length / 2)], sorted[(sorted.Length / 2)..]);
        }

        return (low, high);
    }
}
