using MetaQap.Imaging.Decoding;
using MetaQap.Imaging.Distortions;
using MetaQap.Imaging.Pixels;
using MetaQap.Imaging.Pristine;
using MetaQap.Modeling.Artifacts;
using MetaQap.Modeling.Ensembles;
using MetaQap.Modeling.Scoring;
using MetaQap.Testing;

namespace MetaQap.Modeling.Tests.Recipes;

/// <summary>
/// The committed <c>models/default/</c> (the output of <c>metaqap recipe default</c>): it loads with its sha256 checks,
/// ranks each licence-clean test photo (tests/data/photos) above its blurred, noisy and JPEG-compressed versions, and
/// scores an image the same alone as in a batch.
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
        Assert.True(Directory.GetFiles(Folder, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length) <= 80L * 1024 * 1024);
    }

    private static readonly string[] PhotoFiles = ["astronaut.jpg", "camera.jpg", "brick.jpg", "gravel.jpg"];

    public static TheoryData<string> Photos => [.. PhotoFiles];

    [Theory]
    [MemberData(nameof(Photos))]
    public void Shipped_default_ranks_a_clean_photo_above_its_blurred_noisy_and_jpeg_compressed_versions(string file)
    {
        RgbImage clean = ImageDecoder.DecodeFile(Path.Combine(RepositoryPaths.Root, "tests", "data", "photos", file));
        (string Name, RgbImage Image)[] versions =
        [
            ("blurred", Distorter.Apply(clean, DistortionType.GaussianBlur, 3, 1)),
            ("noisy", Distorter.Apply(clean, DistortionType.WhiteNoise, 3, 2)),
            ("jpeg", Distorter.Apply(clean, DistortionType.Jpeg, 4, 3)),
        ];

        using EnsemblePredictor predictor = EnsemblePredictor.Load(Folder, new PredictorOptions { Threads = 2 });
        IReadOnlyList<ImageScore> scores = predictor.Score([clean, .. versions.Select(v => v.Image)]);

        for (int i = 0; i < versions.Length; i++)
        {
            Assert.True(scores[0].Score > scores[i + 1].Score, $"{file}: clean {scores[0].Score:F2}, {versions[i].Name} {scores[i + 1].Score:F2}");
        }

        Assert.InRange(scores[0].Score, 0.01, 99.99); // on the scale, not clamped at an end
    }

    [Fact]
    public void Shipped_default_scores_an_image_the_same_alone_and_in_a_batch()
    {
        RgbImage[] images = [.. PhotoFiles.Select(f => ImageDecoder.DecodeFile(Path.Combine(RepositoryPaths.Root, "tests", "data", "photos", f)))];

        using EnsemblePredictor predictor = EnsemblePredictor.Load(Folder, new PredictorOptions { Threads = 2 });
        IReadOnlyList<ImageScore> together = predictor.Score(images);

        for (int i = 0; i < images.Length; i++)
        {
            Assert.Equal(together[i].Score, predictor.Score([images[i]])[0].Score, 1e-5);
        }
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
