using MetaQap.Imaging.Pixels;
using MetaQap.Imaging.Pristine;

namespace MetaQap.Imaging.Tests.Pristine;

public sealed class DecodedImageCacheTests
{
    // A 10x10 photo is 300 bytes packed.
    private const long ImageBytes = 300;

    [Fact]
    public void Least_recently_used_photos_are_evicted_beyond_the_capacity()
    {
        var cache = new DecodedImageCache(3 * ImageBytes);
        int loads = 0;
        PackedPhoto Load(int key)
        {
            loads++;
            return new PackedPhoto(new RgbImage(10, 10));
        }

        cache.GetOrAdd(1, Load);
        cache.GetOrAdd(2, Load);
        cache.GetOrAdd(3, Load);
        cache.GetOrAdd(1, Load); // 1 is now the most recent; 2 the least
        cache.GetOrAdd(4, Load); // evicts 2
        Assert.Equal(4, loads);
        Assert.Equal(3 * ImageBytes, cache.Bytes);

        cache.GetOrAdd(1, Load);
        cache.GetOrAdd(3, Load);
        Assert.Equal(4, loads);
        cache.GetOrAdd(2, Load);
        Assert.Equal(5, loads);
        Assert.Equal(3, cache.Count);
    }

    [Fact]
    public void A_photo_larger_than_the_capacity_is_still_returned()
    {
        var cache = new DecodedImageCache(10);

        PackedPhoto image = cache.GetOrAdd(1, _ => new PackedPhoto(new RgbImage(10, 10)));

        Assert.Equal(10, image.Width);
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public async Task Concurrent_requests_for_one_photo_decode_it_once()
    {
        var cache = new DecodedImageCache(100 * ImageBytes);
        int loads = 0;
        using var gate = new ManualResetEventSlim();

        var tasks = Enumerable.Range(0, 8).Select(_ => Task.Run(() => cache.GetOrAdd(7, _ =>
        {
            Interlocked.Increment(ref loads);
            gate.Wait(TimeSpan.FromSeconds(5));
            return new PackedPhoto(new RgbImage(10, 10));
        }))).ToArray();
        await Task.Delay(100);
        gate.Set();
        PackedPhoto[] images = await Task.WhenAll(tasks);

        Assert.Equal(1, loads);
        Assert.All(images, image => Assert.Same(images[0], image));
    }

    [Fact]
    public void A_failed_load_is_not_cached()
    {
        var cache = new DecodedImageCache(100 * ImageBytes);

        Assert.Throws<InvalidOperationException>(() => cache.GetOrAdd(1, _ => throw new InvalidOperationException("boom")));
        PackedPhoto image = cache.GetOrAdd(1, _ => new PackedPhoto(new RgbImage(10, 10)));

        Assert.Equal(10, image.Width);
        Assert.Equal(ImageBytes, cache.Bytes);
    }
}
