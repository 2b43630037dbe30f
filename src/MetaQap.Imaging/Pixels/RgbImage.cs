namespace MetaQap.Imaging.Pixels;

/// <summary>
/// A float RGB image in planar CHW layout (all of R, then G, then B), values nominally in [0, 1].
/// Planar layout is what the models consume, so a decoded image becomes a tensor without reshuffling.
/// </summary>
public sealed class RgbImage
{
    public const int Channels = 3;

    public RgbImage(int width, int height)
        : this(width, height, new float[checked(Channels * width * height)])
    {
    }

    public RgbImage(int width, int height, float[] data)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentNullException.ThrowIfNull(data);
        if (data.Length != Channels * width * height)
        {
            throw new ArgumentException($"Expected {Channels * width * height} floats for {width}x{height}, got {data.Length}.", nameof(data));
        }

        Width = width;
        Height = height;
        Data = data;
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Planar CHW samples: index = c * Width * Height + y * Width + x.</summary>
    public float[] Data { get; }

    public int PlaneSize => Width * Height;

    public Span<float> Plane(int channel) => Data.AsSpan(channel * PlaneSize, PlaneSize);

    public ReadOnlySpan<float> ReadPlane(int channel) => Data.AsSpan(channel * PlaneSize, PlaneSize);

    public float this[int channel, int y, int x]
    {
        get => Data[(channel * Height + y) * Width + x];
        set => Data[(channel * Height + y) * Width + x] = value;
    }

    public RgbImage Clone() => new(Width, Height, (float[])Data.Clone());

    /// <summary>Clamps every sample into [0, 1] in place and returns this image.</summary>
    public RgbImage Clamp01()
    {
        Span<float> d = Data;
        for (int i = 0; i < d.Length; i++)
        {
            d[i] = Math.Clamp(d[i], 0f, 1f);
        }

        return this;
    }

    /// <summary>Rec. 601 luma, the grey level the full-reference metrics work on.</summary>
    public float[] ToLuma()
    {
        var luma = new float[PlaneSize];
        ReadOnlySpan<float> r = ReadPlane(0), g = ReadPlane(1), b = ReadPlane(2);
        for (int i = 0; i < luma.Length; i++)
        {
            luma[i] = (0.299f * r[i]) + (0.587f * g[i]) + (0.114f * b[i]);
        }

        return luma;
    }
}
