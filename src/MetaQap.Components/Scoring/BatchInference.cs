using MetaQap.Imaging.Pixels;
using MetaQap.Modeling.Scoring;

namespace MetaQap.Components.Scoring;

/// <summary>One image's model output, or the error the model raised on it.</summary>
public sealed record InferenceResult(ImageScore? Score, string? Error);

/// <summary>A batch's results and the version of the model that scored them (a promotion switches only between batches).</summary>
public sealed record BatchScores(string ModelVersion, IReadOnlyList<InferenceResult> Results);

/// <summary>
/// Runs the model one batch at a time (the scorer is not re-entrant, and a GPU gains nothing from interleaving).
/// If the model throws on a batch, each image is retried alone so that one bad image fails by itself. A promoted
/// model replaces the loaded one only between batches (<see cref="SwapAsync"/>), so no batch is half-scored by two.
/// </summary>
public sealed class BatchInference(LoadedModel model, ILogger<BatchInference> logger) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public string ModelVersion => model.Scorer.ModelVersion;

    /// <summary>How far images may be scaled down while decoding (<see cref="IQualityScorer.DecodeShorterSide"/>).</summary>
    public int? DecodeShorterSide => model.Scorer.DecodeShorterSide;

    public async Task<BatchScores> ScoreAsync(IReadOnlyList<RgbImage> images, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.Count == 0)
        {
            return new BatchScores(ModelVersion, []);
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            IQualityScorer scorer = model.Scorer;
            return new BatchScores(scorer.ModelVersion, ScoreIsolatingFailures(scorer, images, cancellationToken));
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Makes <paramref name="next"/> the model once the batch in progress (if any) is done, and disposes the one it
    /// replaced. Returns the replaced model's version.
    /// </summary>
    public async Task<string> SwapAsync(IQualityScorer next, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(next);
        IQualityScorer previous;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            previous = model.Replace(next);
        }
        finally
        {
            _gate.Release();
        }

        string version = previous.ModelVersion;
        (previous as IDisposable)?.Dispose();
        return version;
    }

    public void Dispose() => _gate.Dispose();

    /// <summary>
    /// A NaN or infinite number fails its image alone: it would break the stored summary's statistics, and JSON has
    /// no way to carry it to subscribers.
    /// </summary>
    private static InferenceResult Checked(ImageScore score) =>
        double.IsFinite(score.Score) && double.IsFinite(score.Uncertainty) && score.BaseScores.Values.All(double.IsFinite)
            && score.Distortions.All(d => double.IsFinite(d.Probability))
            ? new InferenceResult(score, null)
            : new InferenceResult(null, "The model returned a score that is not a finite number.");

    private InferenceResult[] ScoreIsolatingFailures(IQualityScorer scorer, IReadOnlyList<RgbImage> images, CancellationToken cancellationToken)
    {
        try
        {
            IReadOnlyList<ImageScore> scores = scorer.Score(images, cancellationToken);
            if (scores.Count != images.Count)
            {
                throw new InvalidOperationException($"The model returned {scores.Count} scores for {images.Count} images.");
            }

            return scores.Select(Checked).ToArray();
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
                    ? Checked(single[0])
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
