using MetaQap.Components.Scoring;
using MetaQap.Modeling.Ensembles;
using MetaQap.Modeling.Scoring;
using MetaQap.Testing;

namespace MetaQap.Worker.Tests.Scoring;

/// <summary>The service's own scorer path: an ensemble folder on disk becomes the EnsemblePredictor that scores.</summary>
public sealed class EnsembleScorerFactoryTests
{
    [Fact]
    public void An_ensemble_folder_loads_as_the_predictor_and_scores_images()
    {
        using var ensemble = new TinyEnsemble();

        using var scorer = (EnsemblePredictor)new EnsembleScorerFactory().Create(new ModelOptions { Path = ensemble.Directory, Threads = 1 });
        IReadOnlyList<ImageScore> scores = scorer.Score([TinyEnsemble.Picture(80, 60, 1), TinyEnsemble.Picture(64, 96, 2)]);

        Assert.Equal("tiny-test", scorer.ModelVersion);
        Assert.Equal(2, scores.Count);
        Assert.All(scores, s => Assert.InRange(s.Score, 0, 100));
        Assert.Equal(["a", "b"], scores[0].BaseScores.Keys.Order());
    }

    [Fact]
    public void A_tampered_weights_file_stops_the_load_with_the_artifact_problem()
    {
        using var ensemble = new TinyEnsemble();
        string weights = Directory.GetFiles(Path.Combine(ensemble.Directory, "weights"))[0];
        byte[] bytes = File.ReadAllBytes(weights);
        bytes[^1] ^= 0xFF;
        File.WriteAllBytes(weights, bytes);

        var error = Assert.Throws<ModelLoadException>(() => new EnsembleScorerFactory().Create(new ModelOptions { Path = ensemble.Directory }));

        Assert.Contains("sha256", error.Message, StringComparison.OrdinalIgnoreCase);
    }
}
