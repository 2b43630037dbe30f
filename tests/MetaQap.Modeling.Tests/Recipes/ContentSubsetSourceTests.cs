using MetaQap.Imaging.Pristine;

namespace MetaQap.Modeling.Tests.Recipes;

public sealed class ContentSubsetSourceTests
{
    private readonly DeadLeavesSource _inner = new(6, 9);

    [Fact]
    public void Subset_contents_are_the_inner_contents_with_their_ids_and_pixels()
    {
        var subset = new ContentSubsetSource(_inner, [4, 1], "held-out");

        Assert.Equal(2, subset.ContentCount);
        Assert.Equal("held-out", subset.Name);
        Assert.Equal([_inner.ContentId(4), _inner.ContentId(1)], [subset.ContentId(0), subset.ContentId(1)]);
        Assert.Equal(_inner.Sample(1, 32, 7).Image.Data, subset.Sample(1, 32, 7).Image.Data);
        Assert.Equal(_inner.Sample(4, 32, 7).ContentId, subset.Sample(0, 32, 7).ContentId);
    }

    [Fact]
    public void Contents_outside_the_subset_cannot_be_reached()
    {
        var subset = new ContentSubsetSource(_inner, [4, 1]);

        Assert.Throws<ArgumentOutOfRangeException>(() => subset.Sample(2, 32, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => subset.ContentId(-1));
        Assert.Equal(_inner.Name, subset.Name);
    }

    [Fact]
    public void Unknown_or_repeated_contents_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ContentSubsetSource(_inner, [6]));
        Assert.Throws<ArgumentException>(() => new ContentSubsetSource(_inner, [2, 2]));
    }
}
