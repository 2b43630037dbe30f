using MetaQap.Imaging.Pixels;

namespace MetaQap.Imaging.Pristine;

/// <summary>
/// A decoded photo kept as 8-bit planar RGB: a quarter of the float image's memory, so four times as many photos
/// fit in the cache. Lossless, because the decoder's floats are exactly byte / 255.
/// </summary>
internal sealed class PackedPhoto
{
    private readonly byte[] _data;

    public PackedPhoto(RgbImage image)
    {
        Width = image.Width;
        Height = image.Height;
        _data = new byte[image.Data.Length];
        for (int i = 0; i < _data.Length; i++)
        {
            _data[i] = ImageEncoder.ToByte(image.Data[i]);
        }
    }

    public int Width { get; }

    public int Height { get; }

    public long Bytes => _data.LongLength;

    /// <summary>The float image of the square of <paramref name="side"/> pixels at (x, y).</summary>
    public RgbImage Crop(int x, int y, int side)
    {
        if (x < 0 || y < 0 || side <= 0 || x + side > Width || y + side > Height)
        {
            throw new ArgumentOutOfRangeException(nameof(side), $"A {side}-pixel square at ({x},{y}) does not fit in {Width}x{Height}.");
        }

        const float scale = 1f / 255f;
        var crop = new RgbImage(side, side);
        for (int c = 0; c < RgbImage.Channels; c++)
        {
            Span<float> plane = crop.Plane(c);
            for (int row = 0; row < side; row++)
            {
                ReadOnlySpan<byte> source = _data.AsSpan((c * Width * Height) + ((y + row) * Width) + x, side);
                Span<float> target = plane.Slice(row * side, side);
                for (int i = 0; i < side; i++)
                {
                    target[i] = source[i] * scale;
                }
            }
        }

        return crop;
    }
}
