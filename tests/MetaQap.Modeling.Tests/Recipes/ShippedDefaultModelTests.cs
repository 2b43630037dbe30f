using MetaQap.Imaging.Distortions;
using MetaQap.Imaging.Pixels;
using MetaQap.Imaging.Pristine;
using MetaQap.Modeling.Artifacts;
using MetaQap.Modeling.Ensembles;
using MetaQap.Modeling.Scoring;
using MetaQap.Testing;

namespace MetaQap.Modeling.Tests.Recipes;

/// <summary>
/// The committed <c>models/default/</c> (the output of <c>metaqap recipe default</c>): it loads with its sha256 checks
/// and ranks a clean image above a heavily distorted version of it.
/// </summary>
public sealed class ShippedDefaultModelTests
{
    private static readonly string Folder = Path.Combine(RepositoryPaths.Root, "models", "default");

    [Fact]
    public void Shipped_default_ensemble_loads_with_its_checksums_and_was_made_by_the_default_recipe()
    {
        EnsembleManifest manifest = EnsembleArtifact.Load(Folder);

        Assert.Equal("default", manifest.Provenance.Recipe);
        Assert.StartsWith("metaqap recipe default", manifest.Provenance.Command, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(Folder, "MODEL_CARD.md")), "models/default needs its model card");
        Assert.True(Directory.GetFiles(Folder, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length) <= 30L * 1024 * 1024);
    }

    [Fact]
    public void Shipped_default_ensemble_scores_a_clean_image_above_a_heavily_distorted_copy()
    {
        RgbImage clean = new DeadLeavesSource(1, 424242).Sample(0, 256, 1).Image;
        RgbImage distorted = Distorter.Apply(Distorter.Apply(clean, DistortionType.GaussianBlur, 5, 1), DistortionType.Jpeg, 5, 2);

        using EnsemblePredictor predictor = EnsemblePredictor.Load(Folder, new PredictorOptions { Threads = 2 });
        IReadOnlyList<ImageScore> scores = predictor.Score([clean, distorted]);

        Assert.True(scores[0].Score > scores[1].Score, $"clean {scores[0].Score:F1}, distorted {scores[1].Score:F1}");
    }
}
