namespace MetaQap.Imaging.Datasets;

/// <summary>
/// K-fold splits that never put one content (<see cref="DatasetItem.ContentGroup"/>) in both train and test, so a
/// model is never evaluated on a distorted version of a picture it was trained on (DESIGN.md §6).
/// </summary>
public static class ContentDisjointFolds
{
    /// <summary>
    /// Splits <paramref name="items"/> into <paramref name="k"/> folds. Every item is in exactly one test set; a
    /// content group is wholly in one test set; test sets differ in size by at most the largest group's size.
    /// The same items, k and seed always give the same folds.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">k is below 2.</exception>
    /// <exception cref="ArgumentException">There are fewer content groups than folds.</exception>
    public static IReadOnlyList<Fold> Split(IReadOnlyList<DatasetItem> items, int k, int seed)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 2);
        int[] foldOfItem = AssignFolds(items, k, seed);
        var folds = new Fold[k];
        for (int f = 0; f < k; f++)
        {
            var train = new List<DatasetItem>();
            var test = new List<DatasetItem>();
            for (int i = 0; i < items.Count; i++)
            {
                (foldOfItem[i] == f ? test : train).Add(items[i]);
            }

            folds[f] = new Fold(f, train, test);
        }

        return folds;
    }

    /// <summary>
    /// Groups go, largest first, to the fold with the fewest items so far (lowest index on ties), as in the
    /// longest-processing-time rule: the fold a group lands in was the smallest when it did, so no fold ends more
    /// than one group larger than another. Shuffling before the stable size sort makes the seed pick among
    /// equal-sized groups, which for image-level datasets (one image per group) is the whole randomisation.
    /// </summary>
    private static int[] AssignFolds(IReadOnlyList<DatasetItem> items, int k, int seed)
    {
        var groupOfName = new Dictionary<string, int>(StringComparer.Ordinal);
        var groupSizes = new List<int>();
        var groupOfItem = new int[items.Count];
        for (int i = 0; i < items.Count; i++)
        {
            string name = items[i].ContentGroup;
            if (!groupOfName.TryGetValue(name, out int group))
            {
                group = groupSizes.Count;
                groupOfName.Add(name, group);
                groupSizes.Add(0);
            }

            groupSizes[group]++;
            groupOfItem[i] = group;
        }

        if (groupSizes.Count < k)
        {
            throw new ArgumentException(
                $"{k} content-disjoint folds need at least {k} content groups; the {items.Count} items have {groupSizes.Count}.",
                nameof(k));
        }

        int[] order = [.. Enumerable.Range(0, groupSizes.Count)];
        new Random(seed).Shuffle(order);
        int[] bySize = [.. order.OrderByDescending(g => groupSizes[g])];
        var foldOfGroup = new int[groupSizes.Count];
        var foldSizes = new int[k];
        foreach (int group in bySize)
        {
            int smallest = 0;
            for (int f = 1; f < k; f++)
            {
                if (foldSizes[f] < foldSizes[smallest])
                {
                    smallest = f;
                }
            }

            foldOfGroup[group] = smallest;
            foldSizes[smallest] += groupSizes[group];
        }

        var foldOfItem = new int[items.Count];
        for (int i = 0; i < items.Count; i++)
        {
            foldOfItem[i] = foldOfGroup[groupOfItem[i]];
        }

        return foldOfItem;
    }
}
