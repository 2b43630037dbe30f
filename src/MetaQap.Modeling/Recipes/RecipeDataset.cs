using System.Globalization;
using MetaQap.Imaging.Datasets;
using MetaQap.Imaging.Decoding;

namespace MetaQap.Modeling.Recipes;

/// <summary>
/// A MOS dataset with the recipe's K content-disjoint folds (seeded by the recipe seed), checked up front so that a
/// problem that would stop training an hour in (a missing folder, too few contents, an image too small to crop,
/// an unreadable file) stops the run before anything is trained.
/// </summary>
internal sealed class RecipeDataset
{
    private const int HeaderProbeBytes = 256 * 1024;
    private const int ProblemsListed = 10;

    private RecipeDataset(Dataset data, IReadOnlyList<Fold> folds, int[] foldOfItem)
    {
        Data = data;
        Folds = folds;
        FoldOfItem = foldOfItem;
    }

    public Dataset Data { get; }

    public IReadOnlyList<DatasetItem> Items => Data.Items;

    public IReadOnlyList<Fold> Folds { get; }

    /// <summary>The fold (0-based) in which each item, in dataset order, is held out.</summary>
    public IReadOnlyList<int> FoldOfItem { get; }

    /// <summary>Provenance line of the dataset.</summary>
    public string Description => string.Create(CultureInfo.InvariantCulture,
        $"dataset: {Data.Name} at {Data.Root} ({Items.Count} items, {Data.Format} format; its own licence applies, not redistributed)");

    public static RecipeDataset Load(string path, RecipeConfig config)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!Directory.Exists(path) && !File.Exists(path))
        {
            throw new RecipeException($"Dataset folder {Path.GetFullPath(path)} does not exist.");
        }

        Dataset data;
        try
        {
            data = DatasetReader.Read(path, new DatasetReadOptions { Limit = config.MaxItems });
        }
        catch (Exception ex) when (ex is IOException or DatasetFormatException)
        {
            throw new RecipeException($"Dataset {Path.GetFullPath(path)} cannot be used: {ex.Message}", ex);
        }

        int k = config.FineTuning.Folds;
        IReadOnlyList<Fold> folds;
        try
        {
            folds = ContentDisjointFolds.Split(data.Items, k, config.Seed);
        }
        catch (ArgumentException ex)
        {
            throw new RecipeException($"Dataset {data.Root}: {ex.Message}", ex);
        }

        foreach (Fold fold in folds)
        {
            if (fold.Test.Count < 3 || fold.Train.Count < config.FineTuning.BatchSize)
            {
                throw new RecipeException(string.Create(CultureInfo.InvariantCulture,
                    $"Dataset {data.Root}: fold {fold.Index + 1} of {k} has {fold.Test.Count} held-out and {fold.Train.Count} training items; " +
                    $"need at least 3 and a batch ({config.FineTuning.BatchSize}). Use more items or fewer folds."));
            }
        }

        // Training crops at native resolution and never upscales: an image smaller than an input would fail mid-run.
        // Heads see the scoring view, which scales small images up, so they only need readable images.
        CheckImages(data.Items, config.BaseModels.Count == 0 ? 0 : config.BaseModels.Max(m => m.InputSize));
        return new RecipeDataset(data, folds, HeldOutFold(data.Items, folds));
    }

    /// <summary>The fold in which each of <paramref name="items"/> is held out (items identified by image id).</summary>
    public static int[] HeldOutFold(IReadOnlyList<DatasetItem> items, IReadOnlyList<Fold> folds)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < items.Count; i++)
        {
            index[items[i].ImageId] = i;
        }

        var foldOfItem = new int[items.Count];
        foreach (Fold fold in folds)
        {
            foreach (DatasetItem item in fold.Test)
            {
                foldOfItem[index[item.ImageId]] = fold.Index;
            }
        }

        return foldOfItem;
    }

    /// <summary>Every image's header is readable and both sides reach <paramref name="minSide"/> (0: any size).</summary>
    private static void CheckImages(IReadOnlyList<DatasetItem> items, int minSide)
    {
        var problems = new List<string>();
        var buffer = new byte[HeaderProbeBytes];
        foreach (DatasetItem item in items)
        {
            try
            {
                int read;
                using (FileStream file = File.OpenRead(item.ImagePath))
                {
                    read = file.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
                }

                ImageHeader header = ImageHeaderReader.Read(buffer.AsSpan(0, read));
                if (header.Width < minSide || header.Height < minSide)
                {
                    problems.Add(string.Create(CultureInfo.InvariantCulture, $"{item.ImageId}: {header.Width}x{header.Height} is smaller than the {minSide} px input"));
                }
            }
            catch (Exception ex) when (ex is ImageDecodeException or IOException or UnauthorizedAccessException)
            {
                problems.Add($"{item.ImageId}: {ex.Message}");
            }
        }

        if (problems.Count > 0)
        {
            string more = problems.Count > ProblemsListed ? string.Create(CultureInfo.InvariantCulture, $"\n… and {problems.Count - ProblemsListed} more") : "";
            throw new RecipeException(string.Create(CultureInfo.InvariantCulture,
                $"{problems.Count} dataset images cannot be trained on:\n{string.Join("\n", problems.Take(ProblemsListed))}{more}"));
        }
    }
}
