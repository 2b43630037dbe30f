using MetaQap.Imaging.Datasets;
using MetaQap.Testing;

namespace MetaQap.Imaging.Tests.Datasets;

/// <summary>
/// Reads the real development subset of BIQ2021 when this machine has it (it may not be committed: see
/// /work/shared/data/README.md). Found through METAQAP_DATA_DIR (the folder holding biq2021-dev), else as
/// shared/data/biq2021-dev beside the repository or beside one of its parent folders (worktrees live deeper).
/// </summary>
public sealed class Biq2021DevDataTests
{
    private const string DatasetFolder = "biq2021-dev";

    [SkippableFact]
    public void Biq2021_dev_reads_as_5000_images_with_mos_on_the_unit_range()
    {
        string? folder = Locate();
        Skip.IfNot(folder is not null, $"{DatasetFolder} not found (set METAQAP_DATA_DIR)");

        Dataset dataset = DatasetReader.Read(folder!);

        Assert.Equal(DatasetFormat.MosFolder, dataset.Format);
        Assert.Equal(5000, dataset.Items.Count);
        Assert.All(dataset.Items, i => Assert.InRange(i.Mos, 0.0, 1.0));
        Assert.Contains(dataset.Items, i => i.ImageId == "ss01 (10).jpg" && i.Mos == 0.2896);

        int[] sizes = [.. ContentDisjointFolds.Split(dataset.Items, 5, seed: 0).Select(f => f.Test.Count)];
        Assert.Equal([1000, 1000, 1000, 1000, 1000], sizes);
    }

    private static string? Locate()
    {
        if (Environment.GetEnvironmentVariable("METAQAP_DATA_DIR") is { Length: > 0 } dataDir)
        {
            string fromEnvironment = Path.Combine(dataDir, DatasetFolder);
            return Directory.Exists(fromEnvironment) ? fromEnvironment : null;
        }

        for (DirectoryInfo? dir = new DirectoryInfo(RepositoryPaths.Root).Parent; dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "shared", "data", DatasetFolder);
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
