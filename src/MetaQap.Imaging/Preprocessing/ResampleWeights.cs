namespace MetaQap.Imaging.Preprocessing;

/// <summary>Precomputed 1-D filter taps mapping a source axis of one length onto a destination axis.</summary>
internal sealed class ResampleWeights
{
    private readonly int[] _start;
    private readonly int[] _count;
    private readonly float[] _weights;
    private readonly int _stride;

    private ResampleWeights(int[] start, int[] count, float[] weights, int stride)
    {
        _start = start;
        _count = count;
        _weights = weights;
        _stride = stride;
    }

    public static ResampleWeights Create(int sourceLength, int destinationLength)
    {
        double scale = (double)sourceLength / destinationLength;
        double support = Math.Max(1.0, scale); // triangle kernel of radius 1, stretched when downscaling
        int stride = (int)Math.Ceiling(support) * 2 + 1;
        var start = new int[destinationLength];
        var count = new int[destinationLength];
        var weights = new float[destinationLength * stride];

        for (int i = 0; i < destinationLength; i++)
        {
            double center = ((i + 0.5) * scale) - 0.5;
            int first = Math.Max(0, (int)Math.Floor(center - support + 1));
            int last = Math.Min(sourceLength - 1, (int)Math.Ceiling(center + support - 1));
            last = Math.Min(last, first + stride - 1);
            double total = 0;
            for (int j = first; j <= last; j++)
            {
                double w = Math.Max(0, 1 - (Math.Abs(j - center) / support));
                weights[(i * stride) + j - first] = (float)w;
                total += w;
            }

            if (total <= 0)
            {
                // Only when the destination pixel centre falls between taps at an edge: take the nearest pixel.
                first = Math.Clamp((int)Math.Round(center), 0, sourceLength - 1);
                last = first;
                weights[i * stride] = 1f;
                total = 1;
            }

            for (int j = 0; j <= last - first; j++)
            {
                weights[(i * stride) + j] = (float)(weights[(i * stride) + j] / total);
            }

            start[i] = first;
            count[i] = last - first + 1;
        }

        return new ResampleWeights(start, count, weights, stride);
    }

    public int Length => _start.Length;

    /// <summary>The source index of the first tap for destination <paramref name="i"/> and the tap weights.</summary>
    public ReadOnlySpan<float> Taps(int i, out int first)
    {
        first = _start[i];
        return _weights.AsSpan(i * _stride, _count[i]);
    }

    public void Apply(ReadOnlySpan<float> source, Span<float> destination) => Apply(source, destination, 0);

    /// <summary>Destination samples <paramref name="offset"/> … offset + destination.Length − 1 only.</summary>
    public void Apply(ReadOnlySpan<float> source, Span<float> destination, int offset)
    {
        for (int d = 0; d < destination.Length; d++)
        {
            ReadOnlySpan<float> taps = Taps(offset + d, out int first);
            float sum = 0;
            for (int k = 0; k < taps.Length; k++)
            {
                sum += taps[k] * source[first + k];
            }

            destination[d] = sum;
        }
    }
}
