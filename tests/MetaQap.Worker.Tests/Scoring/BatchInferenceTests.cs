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

    [Fact]
    public async Task Batches_that_wait_while_the_model_is_busy_are_scored_in_one_call_when_they_fit()
    {
        var scorer = new HeldScorer();
        using BatchInference inference = await StartAsync(scorer, maxBatchSize: 8);
        Task<BatchScores> first = await HoldModelAsync(inference, scorer, Images(2, seed: 0));
        RgbImage[] three = Images(3, seed: 10), four = Images(4, seed: 20);
        Task<BatchScores> second = inference.ScoreAsync(three, CancellationToken.None);
        Task<BatchScores> third = inference.ScoreAsync(four, CancellationToken.None);
        await WaitUntil(() => inference.WaitingCount == 2);

        scorer.Release();
        await Task.WhenAll(first, second, third).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal([2, 7], scorer.CallSizes);
        AssertScoredAlone(three, (await second).Results);
        AssertScoredAlone(four, (await third).Results);
    }

    [Fact]
    public async Task Waiting_batches_that_together_exceed_the_batch_size_are_scored_in_separate_calls()
    {
        var scorer = new HeldScorer();
        using BatchInference inference = await StartAsync(scorer, maxBatchSize: 8);
        Task<BatchScores> first = await HoldModelAsync(inference, scorer, Images(8, seed: 0));
        RgbImage[] five = Images(5, seed: 10), four = Images(4, seed: 20);
        Task<BatchScores> second = inference.ScoreAsync(five, CancellationToken.None);
        Task<BatchScores> third = inference.ScoreAsync(four, CancellationToken.None);
        await WaitUntil(() => inference.WaitingCount == 2);

        scorer.Release();
        await Task.WhenAll(first, second, third).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(8, scorer.CallSizes[0]);
        Assert.Equal([4, 5], scorer.CallSizes.Skip(1).Order());
        AssertScoredAlone(five, (await second).Results);
        AssertScoredAlone(four, (await third).Results);
    }

    [Fact]
    public async Task A_waiting_batch_whose_caller_is_cancelled_is_not_scored_and_the_others_are()
    {
        var scorer = new HeldScorer();
        using BatchInference inference = await StartAsync(scorer, maxBatchSize: 8);
        Task<BatchScores> first = await HoldModelAsync(inference, scorer, Images(2, seed: 0));
        using var stopping = new CancellationTokenSource();
        Task<BatchScores> cancelled = inference.ScoreAsync(Images(3, seed: 10), stopping.Token);
        RgbImage[] four = Images(4, seed: 20);
        Task<BatchScores> kept = inference.ScoreAsync(four, CancellationToken.None);
        await WaitUntil(() => inference.WaitingCount == 2);

        await stopping.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        scorer.Release();
        await Task.WhenAll(first, kept).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal([2, 4], scorer.CallSizes);
        AssertScoredAlone(four, (await kept).Results);
    }

    /// <summary>
    /// Scores <paramref name="images"/> in a call the held scorer keeps running until released; returns once the
    /// model is busy with it. On its own thread, since a call runs on its caller's.
    /// </summary>
    private static async Task<Task<BatchScores>> HoldModelAsync(BatchInference inference, HeldScorer scorer, RgbImage[] images)
    {
        Task<BatchScores> held = Task.Run(() => inference.ScoreAsync(images, CancellationToken.None));
        await scorer.Entered.WaitAsync(TimeSpan.FromSeconds(10));
        return held;
    }

    private static RgbImage[] Images(int count, int seed) =>
        [.. Enumerable.Range(seed, count).Select(i => SyntheticImages.Content(24 + i % 5, i))];

    /// <summary>Each image's result is what the model gives it alone: merged calls hand every batch its own scores.</summary>
    private static void AssertScoredAlone(RgbImage[] images, IReadOnlyList<InferenceResult> results)
    {
        Assert.Equal(images.Length, results.Count);
        var alone = new GradientSharpnessScorer();
        for (int i = 0; i < images.Length; i++)
        {
            Assert.Equal(alone.Score([images[i]])[0].Score, results[i].Score!.Score);
        }
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (int i = 0; i < 1000 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }

    private static async Task<BatchInference> StartAsync(IQualityScorer scorer, int maxBatchSize = 16)
    {
        var model = new LoadedModel(new TestScorerFactory(() => scorer), Options.Create(new ModelOptions { Path = "(test)" }),
            new WorkerMetrics(), NullLogger<LoadedModel>.Instance);
        await model.StartAsync(CancellationToken.None);
        return new BatchInference(model, Options.Create(new BatchingOptions { MaxBatchSize = maxBatchSize }),
            NullLogger<BatchInference>.Instance);
    }

    /// <summary>The test scorer, holding its first call until released, and recording how many images each call had.</summary>
    private sealed class HeldScorer : IQualityScorer
    {
        private readonly GradientSharpnessScorer _inner = new();
        private readonly ManualResetEventSlim _released = new();
        private readonly SemaphoreSlim _entered = new(0);

        public string ModelVersion => _inner.ModelVersion;

        public List<int> CallSizes { get; } = [];

        public Task Entered => _entered.WaitAsync();

        public void Release() => _released.Set();

        public IReadOnlyList<ImageScore> Score(IReadOnlyList<RgbImage> images, CancellationToken cancellationToken = default)
        {
            lock (CallSizes)
            {
                CallSizes.Add(images.Count);
            }

            _entered.Release();
            _released.Wait(cancellationToken);
            return _inner.Score(images, cancellationToken);
        }
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
