using MetaQap.Imaging.Corpus;

namespace MetaQap.Modeling.Recipes;

/// <summary>
/// The one split of pristine contents into pretraining and held-out contents that every base model shares,
/// stratified by source (synthetic, photos) so each source is represented on both sides when it can be.
/// </summary>
internal static class ContentSplit
{
    private const int SplitStream = 11;

    /// <param name="sourceSizes">Content counts of the sources, in composite order (indices run through them in turn).</param>
    /// <returns>Sorted content indices of the composite.</returns>
    public static (int[] Train, int[] HeldOut) Stratified(IReadOnlyList<int> sourceSizes, double heldOutFraction, int seed)
    {
        var train = new List<int>();
        var heldOut = new List<int>();
        int start = 0;
        for (int s = 0; s < sourceSizes.Count; s++)
        {
            int n = sourceSizes[s];
            int[] contents = [.. Enumerable.Range(start, n)];
            new Random(SeedMixer.Mix(seed, 0, s, SplitStream)).Shuffle(contents);
            int held = (int)Math.Round(n * heldOutFraction, MidpointRounding.AwayFromZero);
            if (held == 0 && n >= 2)
            {
                held = 1;
            }

            heldOut.AddRange(contents[..held]);
            train.AddRange(contents[held..]);
            start += n;
        }

        train.Sort();
        heldOut.Sort();
        return ([.. train], [.. heldOut]);
    }
}
