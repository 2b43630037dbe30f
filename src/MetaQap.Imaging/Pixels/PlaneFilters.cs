namespace MetaQap.Imaging.Pixels;

/// <summary>
/// Plane filters shared by the distortions and metrics. Borders are mirrored (MATLAB's 'symmetric'), as KADID's
/// generator filters with imfilter(..., 'symmetric'), so no dark frame appears at the edges. Passes run along
/// contiguous rows (the vertical pass accumulates whole rows) so the inner loops are simple and cache-friendly.
/// </summary>
internal static class PlaneFilters
{
    /// <summary>Gaussian blur of one plane in place; radius as MATLAB's imgaussfilt (2·ceil(2σ)+1 taps).</summary>
    public static void GaussianBlur(Span<float> plane, int width, int height, double sigma)
    {
        if (sigma <= 0)
        {
            return;
        }

        int radius = Math.Max(1, (int)Math.Ceiling(2 * sigma));
        var kernel = new float[(2 * radius) + 1];
        double total = 0;
        for (int i = -radius; i <= radius; i++)
        {
            double w = Math.Exp(-(i * i) / (2 * sigma * sigma));
            kernel[i + radius] = (float)w;
            total += w;
        }

        for (int i = 0; i < kernel.Length; i++)
        {
            kernel[i] = (float)(kernel[i] / total);
        }

        Separable(plane, width, height, kernel);
    }

    /// <summary>Box (mean) filter of odd size in place.</summary>
    public static void BoxBlur(Span<float> plane, int width, int height, int size)
    {
        var kernel = new float[size];
        Array.Fill(kernel, 1f / size);
        Separable(plane, width, height, kernel);
    }

    /// <summary>Convolves with the same symmetric 1-D kernel along rows then columns, in place.</summary>
    public static void Separable(Span<float> plane, int width, int height, ReadOnlySpan<float> kernel)
    {
        int radius = kernel.Length / 2;
        var padded = new float[width + (2 * radius)];
        int[] columns = MirroredIndices(width, radius);
        for (int y = 0; y < height; y++)
        {
            Span<float> row = plane.Slice(y * width, width);
            for (int i = 0; i < padded.Length; i++)
            {
                padded[i] = row[columns[i]];
            }

            for (int x = 0; x < width; x++)
            {
                float sum = 0;
                for (int k = 0; k < kernel.Length; k++)
                {
                    sum += kernel[k] * padded[x + k];
                }

                row[x] = sum;
            }
        }

        float[] source = plane.ToArray();
        int[] rows = MirroredIndices(height, radius);
        for (int y = 0; y < height; y++)
        {
            Span<float> target = plane.Slice(y * width, width);
            target.Clear();
            for (int k = 0; k < kernel.Length; k++)
            {
                AddScaled(target, source.AsSpan(rows[y + k] * width, width), kernel[k]);
            }
        }
    }

    /// <summary>Convolves with a sparse 2-D kernel (offset dx, dy, weight), mirrored borders; returns a new plane.</summary>
    public static float[] Convolve(ReadOnlySpan<float> plane, int width, int height, IReadOnlyList<(int Dx, int Dy, float Weight)> taps)
    {
        int reach = 0;
        foreach ((int dx, int dy, _) in taps)
        {
            reach = Math.Max(reach, Math.Max(Math.Abs(dx), Math.Abs(dy)));
        }

        // Pad once with mirrored borders; then every tap is a plain shifted multiply-add over whole rows.
        int pw = width + (2 * reach);
        int[] columns = MirroredIndices(width, reach);
        int[] rows = MirroredIndices(height, reach);
        var padded = new float[pw * (height + (2 * reach))];
        for (int y = 0; y < rows.Length; y++)
        {
            ReadOnlySpan<float> source = plane.Slice(rows[y] * width, width);
            Span<float> target = padded.AsSpan(y * pw, pw);
            for (int x = 0; x < pw; x++)
            {
                target[x] = source[columns[x]];
            }
        }

        var result = new float[plane.Length];
        foreach ((int dx, int dy, float weight) in taps)
        {
            for (int y = 0; y < height; y++)
            {
                AddScaled(result.AsSpan(y * width, width), padded.AsSpan(((y + dy + reach) * pw) + dx + reach, width), weight);
            }
        }

        return result;
    }

    /// <summary>Reflects an index into [0, n) as MATLAB's 'symmetric' padding does (edge sample repeated).</summary>
    public static int Mirror(int i, int n)
    {
        if (n == 1)
        {
            return 0;
        }

        int period = 2 * n;
        i %= period;
        if (i < 0)
        {
            i += period;
        }

        return i < n ? i : period - 1 - i;
    }

    /// <summary>Source index of each position of an axis padded by <paramref name="pad"/> on both sides.</summary>
    public static int[] MirroredIndices(int length, int pad)
    {
        var indices = new int[length + (2 * pad)];
        for (int i = 0; i < indices.Length; i++)
        {
            indices[i] = Mirror(i - pad, length);
        }

        return indices;
    }

    private static void AddScaled(Span<float> target, ReadOnlySpan<float> source, float weight)
    {
        for (int x = 0; x < target.Length; x++)
        {
            target[x] += weight * source[x];
        }
    }
}
