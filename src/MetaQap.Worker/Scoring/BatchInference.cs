using MetaQap.Imaging.Pixels;
using MetaQap.Modeling.Scoring;

namespace MetaQap.Worker.Scoring;

/// <summary>One image's model output, or the error the model raised on it.</summary>
public sealed record InferenceResult(ImageScore? Score, string? Error);

/// <summary>
/// Runs the model one batch at a time (the scorer is not re-entrant, and a GPU gains nothing from interleaving).
/// If the model throws on a batch, each image is retried alone so that one bad image fails by itself.
/// </summary>
public sealed class BatchInference(LoadedModel model, ILogger<BatchInference> logger) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public string ModelVersion => model.Scorer.ModelVersion;

    public async Task<IReadOnlyList<InferenceResult>> ScoreAsync(IReadOnlyList<RgbImage> images, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.Count == 0)
        {
            return [];
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            return ScoreIsolatingFailures(images, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private InferenceResult[] ScoreIsolatingFailures(IReadOnlyList<RgbImage> images, CancellationToken cancellationToken)
    {
        IQualityScorer scorer = model.Scorer;
        try
        {
            IReadOnlyList<ImageScore> scores = scorer.Score(images, cancellationToken);
            if (scores.Count != images.Count)
            {
                throw new InvalidOperationException($"The model returned {scores.Count} scores for {images.Count} images.");
            }

            return scores.Select(s => new InferenceResult(s, null)).ToArray();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            if (images.Count == 1)
            {
                return [new InferenceResult(null, $"The model failed on this image: {e.Message}")];
            }

            logger.LogWarning(e, "The model failed on a batch of {Count}; scoring its images one by one", images.Count);
        }

        var results = new InferenceResult[images.Count];
        for (int i = 0; i < images.Count; i++)
        {
            try
            {
                IReadOnlyList<ImageScore> single = scorer.Score([images[i]], cancellationToken);
                results[i] = single.Count == 1
                    ? new InferenceResult(single[0], null)
                    : new InferenceResult(null, $"The model returned {single.Count} scores for one image.");
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                results[i] = new InferenceResult(null, $"The model failed on this image: {e.Message}");
            }
        }

        return results;
    }
}
