namespace MetaQap.Imaging.Pristine;

/// <summary>
/// A finite set of pristine contents, each of which can be viewed at any size with a seed. Implementations are
/// deterministic in (contentIndex, size, seed) and thread-safe: the corpus generator samples from several threads.
/// </summary>
public interface IPristineSource
{
    string Name { get; }

    /// <summary>Number of distinct contents; valid indices are 0 .. ContentCount - 1.</summary>
    int ContentCount { get; }

    string ContentId(int contentIndex);

    /// <summary>A <paramref name="size"/> × <paramref name="size"/> view of one content, chosen by <paramref name="seed"/>.</summary>
    PristineSample Sample(int contentIndex, int size, int seed);
}
