using MetaQap.Components.Scoring;
using MetaQap.Components.Telemetry;
using MetaQap.Imaging.Pixels;
using MetaQap.Modeling.Scoring;
using MetaQap.Worker.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MetaQap.Worker.Tests.Scoring;

[Collection(ServicesCollection.Name)]
public sealed class BatchInferenceTests
{
    [Fact]
    public async Task An_image_the_model_fails_on_fails_alone_and_the_rest_are_scored()
    {
        using BatchInference inference = await StartAsync(new RefusesWidth(13));
        RgbImage[] images = [SyntheticImages.Content(32, 1), new RgbImage(13, 13), SyntheticImages.Content(32, 2)];

        IReadOnlyList<InferenceResult> results = (await inference.ScoreAsync(images, CancellationToken.None)).Results;

        Assert.NotNull(results[0].Score);
        Assert.Null(results[1].Score);
        Assert.Contains("13 pixels wide", results[1].Error, StringComparison.Ordinal);
        Assert.Equal(new GradientSharpnessScorer().Score([images[2]])[0].Score, results[2].Score!.Score);
    }

    [Fact]
    public async Task A_batch_of_one_the_model_fails_on_becomes_a_failure_not_an_exception()
    {
        using BatchInference inference = await StartAsync(new RefusesWidth(13));

        IReadOnlyList<InferenceResult> results = (await inference.ScoreAsync([new RgbImage(13, 13)], CancellationToken.None)).Results;

        Assert.Null(Assert.Single(results).Score);
    }

    private static async Task<BatchInference> StartAsync(IQualityScorer scorer)
    {
        var model = new LoadedModel(new TestScorerFactory(() => scorer), Options.Create(new ModelOptions { Path = "(test)" }),
            new WorkerMetrics(), NullLogger<LoadedModel>.Instance);
        await model.StartAsync(CancellationToken.None);
        return new BatchInference(model, NullLogger<BatchInference>.Instance);
    }

    /// <summary>The test scorer, made to throw on images of one width: a model that breaks on particular inputs.</summary>
    private sealed class RefusesWidth(int width) : IQualityScorer
    {
        private readonly GradientSharpnessScorer _inner = new();

        public string ModelVersion => _inner.ModelVersion;

        public IReadOnlyList<ImageScore> Score(IReadOnlyList<RgbImage> images, CancellationToken cancellationToken = default) =>
            images.Any(i => i.Width == width)
                ? throw new InvalidOperationException($"Cannot score an image {width} pixels wide.")
                : _inner.Score(images, cancellationToken);
    }
}
