namespace MetaQap.Imaging.Pristine;

/// <summary>
/// Several sources as one: content indices run through the first source, then the second, and so on. Content ids
/// become "sourceName/contentId", so they stay distinct across sources (names must therefore be distinct).
/// </summary>
public sealed class CompositePristineSource : IPristineSource
{
    private readonly IPristineSource[] _sources;
    private readonly int[] _ends;

    public CompositePristineSource(params IPristineSource[] sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        if (sources.Length == 0)
        {
            throw new ArgumentException("A composite needs at least one source.", nameof(sources));
        }

        _sources = (IPristineSource[])sources.Clone();
        _ends = new int[_sources.Length];
        var names = new HashSet<string>(StringComparer.Ordinal);
        int total = 0;
        for (int s = 0; s < _sources.Length; s++)
        {
            IPristineSource source = _sources[s] ?? throw new ArgumentException($"Source {s} is null.", nameof(sources));
            if (!names.Add(source.Name))
            {
                throw new ArgumentException($"Two sources are named '{source.Name}'; their content ids would collide.", nameof(sources));
            }

            total = checked(total + source.ContentCount);
            _ends[s] = total;
        }

        ContentCount = total;
        Name = string.Join('+', _sources.Select(source => source.Name));
    }

    public string Name { get; }

    public int ContentCount { get; }

    public string ContentId(int contentIndex)
    {
        IPristineSource source = Locate(contentIndex, out int local);
        return Prefixed(source, source.ContentId(local));
    }

    public PristineSample Sample(int contentIndex, int size, int seed)
    {
        IPristineSource source = Locate(contentIndex, out int local);
        PristineSample sample = source.Sample(local, size, seed);
        return sample with { ContentId = Prefixed(source, sample.ContentId) };
    }

    private static string Prefixed(IPristineSource source, string contentId) => $"{source.Name}/{contentId}";

    private IPristineSource Locate(int contentIndex, out int local)
    {
        if ((uint)contentIndex < (uint)ContentCount)
        {
            // A handful of sources at most: a linear scan is clearer than a binary search and as fast.
            for (int s = 0; s < _sources.Length; s++)
            {
                if (contentIndex < _ends[s])
                {
                    local = contentIndex - (s == 0 ? 0 : _ends[s - 1]);
                    return _sources[s];
                }
            }
        }

        throw new ArgumentOutOfRangeException(nameof(contentIndex), contentIndex, $"{Name} has {ContentCount} contents.");
    }
}
