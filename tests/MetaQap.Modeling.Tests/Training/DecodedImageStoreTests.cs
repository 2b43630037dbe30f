using MetaQap.Imaging.Decoding;
using MetaQap.Imaging.Pixels;
using MetaQap.Modeling.Training;
using MetaQap.Testing;

namespace MetaQap.Modeling.Tests.Training;

public sealed class DecodedImageStoreTests : IDisposable
{
    private readonly string _folder = TinyRuns.TempFolder();

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Cached_images_are_identical_to_decoding_and_the_budget_is_respected()
    {
        var paths = new List<string>();
        for (int i = 0; i < 3; i++)
        {
            var image = new RgbImage(20, 10);
            var random = new Random(i);
            for (int k = 0; k < image.Data.Length; k++)
            {
                image.Data[k] = random.Next(256) / 255f;
            }

            paths.Add(Path.Combine(_folder, $"{i}.png"));
            ImageEncoder.Save(image, paths[^1]);
        }

        var store = new DecodedImageStore(budgetBytes: 2 * 3 * 20 * 10);
        foreach (string path in paths)
        {
            store.Get(path);
        }

        Assert.Equal(2, store.CachedImages);
        Assert.Equal(2 * 3 * 20 * 10, store.UsedBytes);
        foreach (string path in paths)
        {
            Assert.Equal(ImageDecoder.DecodeFile(path).Data, store.Get(path).Data);
        }

        Assert.Equal(0, new DecodedImageStore(0).Get(paths[0]).Width - 20);
    }
}
