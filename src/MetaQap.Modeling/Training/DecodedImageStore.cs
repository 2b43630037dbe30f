using System.Collections.Concurrent;
using MetaQap.Imaging.Decoding;
using MetaQap.Imaging.Pixels;

namespace MetaQap.Modeling.Training;

/// <summary>
/// Decodes each dataset image once and keeps it as 8-bit interleaved RGB (a quarter of the float size) while the
/// budget lasts; images beyond the budget are decoded again on every use. No eviction: with a shuffled epoch every
/// image is equally likely next, so keeping the first ones is as good as any policy and needs no locking dance.
/// Thread-safe, so the background batch producer can decode in parallel.
/// </summary>
public sealed class DecodedImageStore
{
    private readonly ConcurrentDictionary<string, PackedImage> _cache = new(StringComparer.Ordinal);
    private readonly long _budgetBytes;
    private long _usedBytes;

    public DecodedImageStore(long budgetBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(budgetBytes);
        _budgetBytes = budgetBytes;
    }

    public long UsedBytes => Interlocked.Read(ref _usedBytes);

    public int CachedImages => _cache.Count;

    public RgbImage Get(string path)
    {
        if (_cache.TryGetValue(path, out PackedImage? packed))
        {
            return packed.Unpack();
        }

        RgbImage image = ImageDecoder.DecodeFile(path);
        long bytes = 3L * image.Width * image.Height;
        if (Interlocked.Add(ref _usedBytes, bytes) <= _budgetBytes)
        {
            if (!_cache.TryAdd(path, PackedImage.Pack(image)))
            {
                Interlocked.Add(ref _usedBytes, -bytes);
            }
        }
        else
        {
            Interlocked.Add(ref _usedBytes, -bytes);
        }

        return image;
    }

    /// <summary>8-bit interleaved RGB; decoded images are 8-bit to begin with, so packing loses nothing.</summary>
    private sealed class PackedImage(int width, int height, byte[] rgb)
    {
        public static PackedImage Pack(RgbImage image)
        {
            int n = image.PlaneSize;
            var rgb = new byte[3 * n];
            for (int c = 0; c < 3; c++)
            {
                ReadOnlySpan<float> plane = image.ReadPlane(c);
                for (int i = 0; i < n; i++)
                {
                    rgb[(3 * i) + c] = ImageEncoder.ToByte(plane[i]);
                }
            }

            return new PackedImage(image.Width, image.Height, rgb);
        }

        public RgbImage Unpack()
        {
            var image = new RgbImage(width, height);
            int n = image.PlaneSize;
            const float scale = 1f / 255f;
            for (int c = 0; c < 3; c++)
            {
                Span<float> plane = image.Plane(c);
                for (int i = 0; i < n; i++)
                {
                    plane[i] = rgb[(3 * i) + c] * scale;
                }
            }

            return image;
        }
    }
}
