namespace MetaQap.Imaging.Pristine;

/// <summary>
/// Some of another source's contents, renumbered 0 .. n − 1, with their original content ids. A recipe hands the
/// pretrainer a subset of the contents so that the held-out ones are invisible to it (not merely unsampled): a
/// corpus over this source cannot produce a sample of a content outside the subset.
/// </summary>
public sealed class ContentSubsetSource : IPristineSource
{
    private readonly IPristineSource _inner;
    private readonly int[] _contents;

    /// <param name="inner">The full source.</param>
    /// <param name="contents">Content indices of <paramref name="inner"/> to keep, distinct; their order is the new numbering.</param>
    /// <param name="name">Name of the subset (provenance); defaults to the inner source's name.</param>
    public ContentSubsetSource(IPristineSource inner, IReadOnlyList<int> contents, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(contents);
        var seen = new HashSet<int>();
        foreach (int content in contents)
        {
            if ((uint)content >= (uint)inner.ContentCount)
            {
                throw new ArgumentOutOfRangeException(nameof(contents), content, $"{inner.Name} has {inner.ContentCount} contents.");
            }

            if (!seen.Add(content))
            {
                throw new ArgumentException($"Content {content} is listed twice.", nameof(contents));
            }
        }

        _inner = inner;
        _contents = [.. contents];
        Name = name ?? inner.Name;
    }

    public string Name { get; }

    public int ContentCount => _contents.Length;

    /// <summary>The inner source's content index behind subset index <paramref name="contentIndex"/>.</summary>
    public int InnerIndex(int contentIndex)
    {
        if ((uint)contentIndex >= (uint)_contents.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(contentIndex), contentIndex, $"{Name} has {_contents.Length} contents.");
        }

        return _contents[contentIndex];
    }

    public string ContentId(int contentIndex) => _inner.ContentId(InnerIndex(contentIndex));

    public PristineSample Sample(int contentIndex, int size, int seed) => _inner.Sample(InnerIndex(contentIndex), size, seed);
}
