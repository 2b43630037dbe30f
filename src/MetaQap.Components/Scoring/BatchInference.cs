using MetaQap.Imaging.Pixels;
using MetaQap.Modeling.Scoring;
using Microsoft.Extensions.Options;

namespace MetaQap.Components.Scoring;

/// <summary>One image's model output, or the error the model raised on it.</summary>
public sealed record InferenceResult(ImageScore? Score, string? Error);

/// <summary>A batch's results and the version of the model that scored them (a promotion switches only between batches).</summary>
public sealed record BatchScores(string ModelVersion, IReadOnlyList<InferenceResult> Results);

/// <summary>
/// Runs the model one call at a time (the scorer is not re-entrant, and a GPU gains nothing from interleaving).
/// Batches that wait for the model while it is busy are scored together, up to <c>MaxBatchSize</c> images per call:
/// a batch the broker delivered in two parts (15 + 1 when the 20-ms delay closed it early on a busy machine) then
/// costs one model call, not two, when both parts wait at once (a call on 1 image took 0.29 s here, one on 16 2.6 s).
/// If the model throws on a call, each image is retried alone so that one bad image fails by itself. A promoted model
/// replaces the loaded one only between calls (<see cref="SwapAsync"/>), so no call is half-scored by two.
/// </summary>
public sealed class BatchInference(LoadedModel model, IOptions<BatchingOptions> options, ILogger<BatchInference> logger) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly List<Waiting> _waiting = [];
    private readonly int _maxImagesPerCall = options.Value.MaxBatchSize;

    public string ModelVersion => model.Scorer.ModelVersion;

    /// <summary>How far images may be scaled down while decoding (<see cref="IQualityScorer.DecodeShorterSide"/>).</summary>
    public int? DecodeShorterSide => model.Scorer.DecodeShorterSide;

    /// <summary>
    /// Scores <paramref name="images"/>, in one model call with other batches waiting at the time when they fit.
    /// The call runs under the token of the caller that makes it; on shutdown every caller's token is cancelled, and
    /// a batch whose call was cancelled is redelivered like any batch interrupted then.
    /// </summary>
    public async Task<BatchScores> ScoreAsync(IReadOnlyList<RgbImage> images, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.Count == 0)
        {
            return new BatchScores(ModelVersion, []);
        }

        var mine = new Waiting(images);
        lock (_waiting)
        {
            _waiting.Add(mine);
        }

        try
        {
            await _gate.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            lock (_waiting)
            {
                _waiting.Remove(mine);
            }

            throw;
        }

        try
        {
            List<Waiting>? call = TakeCall(mine);
            if (call is not null)
            {
                Run(call, cancellationToken);
            }
        }
        finally
        {
            _gate.Release();
        }

        // Scored by this call or, when an earlier caller took this batch into its own, by that one (already done).
        return await mine.Result.Task;
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

    /// <summary>Batches waiting for the model now (tests).</summary>
    internal int WaitingCount
    {
        get
        {
            lock (_waiting)
            {
                return _waiting.Count;
            }
        }
    }

    public void Dispose() => _gate.Dispose();

    /// <summary>
    /// The batches one call scores: <paramref name="mine"/> and those waiting behind it, oldest first, as long as
    /// they fit in <c>MaxBatchSize</c> images; null when an earlier call already took <paramref name="mine"/>.
    /// </summary>
    private List<Waiting>? TakeCall(Waiting mine)
    {
        lock (_waiting)
        {
            if (!_waiting.Remove(mine))
            {
                return null;
            }

            List<Waiting> call = [mine];
            int count = mine.Images.Count;
            for (int i = 0; i < _waiting.Count && count < _maxImagesPerCall;)
            {
                if (count + _waiting[i].Images.Count <= _maxImagesPerCall)
                {
                    count += _waiting[i].Images.Count;
                    call.Add(_waiting[i]);
                    _waiting.RemoveAt(i);
                }
                else
                {
                    i++;
                }
            }

            return call;
        }
    }

    private void Run(List<Waiting> call, CancellationToken cancellationToken)
    {
        try
        {
            IQualityScorer scorer = model.Scorer;
            List<RgbImage> images = [.. call.SelectMany(w => w.Images)];
            InferenceResult[] results = ScoreIsolatingFailures(scorer, images, cancellationToken);
            int offset = 0;
            foreach (Waiting waiting in call)
            {
                waiting.Result.SetResult(new BatchScores(scorer.ModelVersion, results[offset..(offset + waiting.Images.Count)]));
                offset += waiting.Images.Count;
            }
        }
        catch (OperationCanceledException e)
        {
            call.ForEach(w => w.Result.TrySetCanceled(e.CancellationToken));
        }
        catch (Exception e)
        {
            call.ForEach(w => w.Result.TrySetException(e));
        }
    }

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

    /// <summary>A batch waiting for the model, and where its scores go.</summary>
    private sealed class Waiting(IReadOnlyList<RgbImage> images)
    {
        public IReadOnlyList<RgbImage> Images { get; } = images;

        public TaskCompletionSource<BatchScores> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
