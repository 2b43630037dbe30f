using MetaQap.Imaging.Pixels;
using MetaQap.Modeling.Artifacts;
using MetaQap.Modeling.Ensembles;
using MetaQap.Modeling.Scoring;
using MetaQap.Testing;

namespace MetaQap.Modeling.Tests.Ensembles;

public sealed class EnsemblePredictorTests
{
    private static readonly RgbImage[] Pictures =
    [
        TinyEnsemble.Picture(80, 64, 1),
        TinyEnsemble.Picture(64, 96, 2),
        TinyEnsemble.Picture(120, 70, 3),
        TinyEnsemble.Picture(64, 64, 4),
        TinyEnsemble.Picture(100, 100, 5),
    ];

    [Fact]
    public void A_built_ensemble_loads_and_scores_every_image_with_both_base_scores()
    {
        using var ensemble = new TinyEnsemble();
        using var predictor = EnsemblePredictor.Load(ensemble.Directory, new PredictorOptions { Threads = 2 });

        IReadOnlyList<ImageScore> scores = predictor.Score(Pictures);

        Assert.Equal("tiny-test", predictor.ModelVersion);
        Assert.Equal(Pictures.Length, scores.Count);
        Assert.All(scores, s =>
        {
            Assert.InRange(s.Score, 0, 100);
            Assert.Equal(["a", "b"], s.BaseScores.Keys.Order());
            Assert.True(s.Uncertainty >= 0);
        });
        // Random weights still see the pictures differently: a constant output would make the other tests vacuous.
        Assert.True(scores.Select(s => s.BaseScores["a"]).Distinct().Count() > 1);
    }

    [Fact]
    public void A_score_is_the_same_alone_and_inside_any_batch_of_other_images()
    {
        using var ensemble = new TinyEnsemble();
        using var predictor = EnsemblePredictor.Load(ensemble.Directory);

        ImageScore[] alone = [.. Pictures.Select(p => predictor.Score([p])[0])];
        IReadOnlyList<ImageScore> together = predictor.Score(Pictures);
        IReadOnlyList<ImageScore> reversed = predictor.Score([.. Pictures.Reverse(), Pictures[0], Pictures[2]]);

        for (int i = 0; i < Pictures.Length; i++)
        {
            AssertSame(alone[i], together[i]);
            AssertSame(alone[i], reversed[Pictures.Length - 1 - i]);
        }

        AssertSame(alone[0], reversed[Pictures.Length]);
        AssertSame(alone[2], reversed[Pictures.Length + 1]);
    }

    [Fact]
    public void Stepwise_coefficients_are_applied_exactly_to_the_base_scores()
    {
        var meta = new MetaLearnerEntry
        {
            Method = MetaLearnerMethods.StepwiseOls,
            Intercept = 3.5,
            Predictors = ["b", "a"],
            Coefficients = [0.4, 0.7],
        };
        using var ensemble = new TinyEnsemble(meta);
        using var predictor = EnsemblePredictor.Load(ensemble.Directory);

        IReadOnlyList<ImageScore> scores = predictor.Score(Pictures);

        foreach (ImageScore s in scores)
        {
            double a = s.BaseScores["a"], b = s.BaseScores["b"];
            Assert.Equal(Math.Clamp(3.5 + (0.4 * b) + (0.7 * a), 0, 100), s.Score, 12);
            Assert.Equal(Math.Abs(a - b) / 2, s.Uncertainty, 12); // population std of two values
        }

        Assert.Contains(scores, s => s.Score is > 0 and < 100); // at least one score not decided by the clamp
    }

    [Fact]
    public void The_mean_method_averages_the_base_scores()
    {
        using var ensemble = new TinyEnsemble();
        using var predictor = EnsemblePredictor.Load(ensemble.Directory);

        foreach (ImageScore s in predictor.Score(Pictures))
        {
            Assert.Equal(Math.Clamp((s.BaseScores["a"] + s.BaseScores["b"]) / 2, 0, 100), s.Score, 12);
        }

        Assert.Equal(MetaLearnerMethods.Mean, predictor.Manifest.MetaLearner.Method);
    }

    [Fact]
    public void Distortion_hints_are_three_catalogue_types_most_likely_first_with_probabilities_summing_at_most_one()
    {
        using var ensemble = new TinyEnsemble(secondHasDistortionHead: false);
        using var predictor = EnsemblePredictor.Load(ensemble.Directory);

        foreach (ImageScore s in predictor.Score(Pictures))
        {
            Assert.Equal(EnsemblePredictor.DistortionHintCount, s.Distortions.Count);
            Assert.All(s.Distortions, h => Assert.Contains(h.Type, MetaQap.Imaging.Distortions.DistortionCatalog.All.Select(d => d.Name)));
            Assert.Equal(s.Distortions.Count, s.Distortions.Select(h => h.Type).Distinct().Count());
            for (int k = 1; k < s.Distortions.Count; k++)
            {
                Assert.True(s.Distortions[k - 1].Probability >= s.Distortions[k].Probability);
            }

            double sum = s.Distortions.Sum(h => h.Probability);
            Assert.True(sum is > 0 and <= 1 + 1e-12, $"hint probabilities sum to {sum}");
        }

        Assert.Empty(predictor.Manifest.BaseModels[1].DistortionLabels);
    }

    [Fact]
    public void Tampered_weights_fail_to_load_with_a_checksum_message()
    {
        using var ensemble = new TinyEnsemble();
        string weights = Path.Combine(ensemble.Directory, "weights", "b.safetensors");
        byte[] bytes = File.ReadAllBytes(weights);
        bytes[^1] ^= 0x01;
        File.WriteAllBytes(weights, bytes);

        var error = Assert.Throws<ArtifactException>(() => EnsemblePredictor.Load(ensemble.Directory));

        Assert.Equal(ArtifactErrorCode.ChecksumMismatch, error.Code);
        Assert.Contains("weights/b.safetensors", error.Message, StringComparison.Ordinal);
        Assert.Contains("sha256", error.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void An_unavailable_device_is_refused_with_a_clear_message()
    {
        using var ensemble = new TinyEnsemble();
        Skip.If(TorchSharp.torch.cuda.is_available(), "CUDA is available here");

        var error = Assert.Throws<InvalidOperationException>(() => EnsemblePredictor.Load(ensemble.Directory, new PredictorOptions { Device = "cuda" }));

        Assert.Contains("CUDA is not available", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Scoring_after_dispose_is_refused()
    {
        using var ensemble = new TinyEnsemble();
        var predictor = EnsemblePredictor.Load(ensemble.Directory);
        predictor.Dispose();

        Assert.Throws<ObjectDisposedException>(() => predictor.Score(Pictures));
    }

    private static void AssertSame(ImageScore expected, ImageScore actual)
    {
        Assert.True(Math.Abs(expected.Score - actual.Score) <= 1e-5, $"score {expected.Score} vs {actual.Score}");
        foreach ((string name, double value) in expected.BaseScores)
        {
            Assert.True(Math.Abs(value - actual.BaseScores[name]) <= 1e-5, $"base {name}: {value} vs {actual.BaseScores[name]}");
        }

        Assert.Equal(expected.Distortions.Select(d => d.Type), actual.Distortions.Select(d => d.Type));
    }
}
