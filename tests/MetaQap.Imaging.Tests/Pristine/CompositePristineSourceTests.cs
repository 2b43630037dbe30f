using MetaQap.Imaging.Pixels;
using MetaQap.Imaging.Pristine;

namespace MetaQap.Imaging.Tests.Pristine;

public sealed class CompositePristineSourceTests
{
    [Fact]
    public void Indices_run_through_the_sources_in_order_with_prefixed_ids()
    {
        var composite = new CompositePristineSource(new FakeSource("a", 2), new FakeSource("empty", 0), new FakeSource("b", 3));

        Assert.Equal(5, composite.ContentCount);
        Assert.Equal("a+empty+b", composite.Name);
        Assert.Equal(["a/0", "a/1", "b/0", "b/1", "b/2"], Enumerable.Range(0, 5).Select(composite.ContentId));
        PristineSample sample = composite.Sample(3, 4, seed: 7);
        Assert.Equal("b/1", sample.ContentId);
        Assert.Equal(FakeSource.Value("b", 1, 7), sample.Image[0, 0, 0]);
        Assert.Equal(4, sample.Image.Width);
    }

    [Fact]
    public void Out_of_range_indices_are_refused()
    {
        var composite = new CompositePristineSource(new FakeSource("a", 2));

        Assert.Throws<ArgumentOutOfRangeException>(() => composite.ContentId(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => composite.Sample(-1, 4, 0));
    }

    [Fact]
    public void Sources_with_the_same_name_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new CompositePristineSource(new FakeSource("a", 1), new FakeSource("a", 2)));
        Assert.Throws<ArgumentException>(() => new CompositePristineSource());
    }

    [Fact]
    public void Real_sources_compose_and_keep_their_pixels()
    {
        var leaves = new DeadLeavesSource(3, baseSeed: 1);
        var composite = new CompositePristineSource(new FakeSource("fake", 2), leaves);

        PristineSample sample = composite.Sample(4, 32, seed: 5);

        Assert.Equal("deadleaves-1/2", sample.ContentId);
        Assert.Equal(leaves.Sample(2, 32, 5).Image.Data, sample.Image.Data);
    }

    /// <summary>Contents whose every pixel encodes (source, content, seed), so routing is visible.</summary>
    private sealed class FakeSource(string name, int count) : IPristineSource
    {
        public string Name => name;

        public int ContentCount => count;

        public static float Value(string name, int content, int seed) =>
            ((name.Length * 100) + (content * 10) + seed) / 1000f;

        public string ContentId(int contentIndex) => contentIndex.ToString(System.Globalization.CultureInfo.InvariantCulture);

        public PristineSample Sample(int contentIndex, int size, int seed)
        {
            var image = new RgbImage(size, size);
            Array.Fill(image.Data, Value(name, contentIndex, seed));
            return new PristineSample(image, ContentId(contentIndex));
        }
    }
}
