using MetaQap.Imaging.Datasets;

namespace MetaQap.Imaging.Tests.Datasets;

public sealed class ContentDisjointFoldsTests
{
    /// <summary>40 contents with 1..12 images each, like a KADID-style dataset with uneven groups.</summary>
    private static List<DatasetItem> UnevenGroups()
    {
        var random = new Random(7);
        var items = new List<DatasetItem>();
        for (int g = 0; g < 40; g++)
        {
            int size = random.Next(1, 13);
            for (int i = 0; i < size; i++)
            {
                items.Add(new DatasetItem($"g{g}_{i}.png", $"/data/g{g}_{i}.png", random.NextDouble(), 0, $"ref{g}"));
            }
        }

        return items;
    }

    private static List<DatasetItem> ImageLevel(int count) =>
        [.. Enumerable.Range(0, count).Select(i => new DatasetItem($"{i}.jpg", $"/data/{i}.jpg", 0.5, 0.5, $"{i}.jpg"))];

    [Fact]
    public void Every_item_is_in_exactly_one_test_fold_and_in_the_train_set_of_all_others()
    {
        List<DatasetItem> items = UnevenGroups();

        IReadOnlyList<Fold> folds = ContentDisjointFolds.Split(items, 5, seed: 1);

        Assert.Equal([0, 1, 2, 3, 4], folds.Select(f => f.Index));
        foreach (DatasetItem item in items)
        {
            Assert.Equal(1, folds.Count(f => f.Test.Contains(item)));
            Assert.Equal(4, folds.Count(f => f.Train.Contains(item)));
        }

        Assert.All(folds, f => Assert.Equal(items.Count, f.Train.Count + f.Test.Count));
    }

    [Fact]
    public void No_content_group_is_in_both_train_and_test()
    {
        IReadOnlyList<Fold> folds = ContentDisjointFolds.Split(UnevenGroups(), 5, seed: 3);

        foreach (Fold fold in folds)
        {
            var testGroups = fold.Test.Select(i => i.ContentGroup).ToHashSet();
            Assert.DoesNotContain(fold.Train, i => testGroups.Contains(i.ContentGroup));
        }
    }

    [Fact]
    public void Test_folds_differ_in_size_by_at_most_the_largest_group()
    {
        List<DatasetItem> items = UnevenGroups();
        int largestGroup = items.GroupBy(i => i.ContentGroup).Max(g => g.Count());

        foreach (int seed in new[] { 0, 1, 2, 3, 4 })
        {
            int[] sizes = [.. ContentDisjointFolds.Split(items, 5, seed).Select(f => f.Test.Count)];
            Assert.InRange(sizes.Max() - sizes.Min(), 0, largestGroup);
        }
    }

    [Fact]
    public void Image_level_datasets_split_within_one_item()
    {
        int[] sizes = [.. ContentDisjointFolds.Split(ImageLevel(10), 3, seed: 5).Select(f => f.Test.Count)];

        Assert.Equal([3, 3, 4], sizes.Order());
    }

    [Fact]
    public void The_same_seed_gives_the_same_folds_and_another_seed_other_folds()
    {
        List<DatasetItem> items = ImageLevel(50);

        string[][] Tests(int seed) => [.. ContentDisjointFolds.Split(items, 5, seed).Select(f => f.Test.Select(i => i.ImageId).ToArray())];

        Assert.Equal(Tests(42), Tests(42));
        Assert.NotEqual(Tests(42), Tests(43));
    }

    [Fact]
    public void Test_and_train_keep_the_original_item_order()
    {
        List<DatasetItem> items = ImageLevel(30);

        foreach (Fold fold in ContentDisjointFolds.Split(items, 4, seed: 9))
        {
            Assert.Equal(fold.Test.OrderBy(items.IndexOf), fold.Test);
            Assert.Equal(fold.Train.OrderBy(items.IndexOf), fold.Train);
        }
    }

    [Fact]
    public void More_folds_than_content_groups_is_a_clear_error()
    {
        var items = new List<DatasetItem>
        {
            new("a1.png", "/a1.png", 0.1, 0.1, "a"),
            new("a2.png", "/a2.png", 0.2, 0.2, "a"),
            new("b1.png", "/b1.png", 0.3, 0.3, "b"),
        };

        var error = Assert.Throws<ArgumentException>(() => ContentDisjointFolds.Split(items, 3, seed: 0));

        Assert.Contains("at least 3 content groups", error.Message, StringComparison.Ordinal);
        Assert.Contains("have 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fewer_than_two_folds_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ContentDisjointFolds.Split(ImageLevel(5), 1, seed: 0));
    }
}
