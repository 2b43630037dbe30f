using System.Diagnostics;
using MassTransit;
using MetaQap.Components.Jobs;
using MetaQap.Components.Outcomes;
using MetaQap.Components.Sources;
using MetaQap.Components.Telemetry;
using MetaQap.Contracts;
using MetaQap.Imaging.Pixels;

namespace MetaQap.Components.Scoring;

/// <summary>
/// One micro-batch of per-image work: fetch + decode in parallel, one model call for every image that decoded, then
/// the outcome path (store, events, completion; <see cref="JobOutcomes"/>). A bad image only fails itself. The batch's
/// messages are acknowledged when this returns, i.e. after the outcomes are stored.
/// </summary>
public sealed class ScoreImageBatchConsumer(ImageLoader loader, BatchInference inference, JobOutcomes outcomes,
    WorkerMetrics metrics) : IConsumer<Batch<ScoreImageItem>>
{
    public async Task Consume(ConsumeContext<Batch<ScoreImageItem>> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        List<ScoreImageItem> items = context.Message.Select(m => m.Message).ToList();
        // Items delivered before (a worker stopped mid-batch) or a retried batch: an earlier attempt may have stored
        // outcomes without publishing them. An image whose item came twice is looked up once.
        bool retried = context.GetRetryAttempt() > 0;
        (Guid, string)[] resumed = context.Message.Where(m => retried || m.ReceiveContext.Redelivered)
            .Select(m => (m.Message.JobId, m.Message.ImageId)).Distinct().ToArray();
        metrics.BatchTaken(items.Count);
        try
        {
            IReadOnlyList<ImageOutcome> scored = await ScoreAsync(items, context.CancellationToken);
            var tags = new Dictionary<Guid, IReadOnlyDictionary<string, string>>();
            foreach (ScoreImageItem item in items)
            {
                tags.TryAdd(item.JobId, item.Tags ?? new Dictionary<string, string>());
            }

            // From here on the work is done: store it even if shutdown has begun, so it is acknowledged, not redone.
            await outcomes.FinishAsync(new FinishedWork
            {
                Outcomes = scored,
                Resumed = resumed,
                Redelivered = resumed.Length > 0,
                Jobs = tags.Keys,
                Tags = tags,
            }, CancellationToken.None);
        }
        finally
        {
            metrics.BatchDone(items.Count);
        }
    }

    private async Task<IReadOnlyList<ImageOutcome>> ScoreAsync(List<ScoreImageItem> items, CancellationToken cancellationToken)
    {
        string version = inference.ModelVersion;
        var outcomes = new ImageOutcome?[items.Count];
        var toLoad = new List<int>(items.Count);
        for (int i = 0; i < items.Count; i++)
        {
            ScoreImageItem item = items[i];
            if (ModelVersionRule.Check(item.ModelVersion, version) is { } refused)
            {
                outcomes[i] = ImageOutcome.Failed(item.JobId, item.ImageId, refused.Code, refused.Detail);
            }
            else
            {
                toLoad.Add(i);
            }
        }

        LoadedImage[] loaded = await loader.LoadAllAsync(toLoad.Select(i => (Func<ImageLocation>)items[i].Location),
            inference.DecodeShorterSide, cancellationToken);
        var images = new List<RgbImage>(loaded.Length);
        var imageOwners = new List<int>(loaded.Length);
        for (int k = 0; k < loaded.Length; k++)
        {
            ScoreImageItem item = items[toLoad[k]];
            if (loaded[k].Image is { } image)
            {
                images.Add(image);
                imageOwners.Add(toLoad[k]);
            }
            else
            {
                ImageFailure failure = loaded[k].Failure!;
                outcomes[toLoad[k]] = ImageOutcome.Failed(item.JobId, item.ImageId, failure.Code, failure.Detail);
            }
        }

        long started = Stopwatch.GetTimestamp();
        (string scoredBy, IReadOnlyList<InferenceResult> results) = await inference.ScoreAsync(images, cancellationToken);
        if (images.Count > 0)
        {
            metrics.ObserveStage(WorkerMetrics.Stages.Infer, Stopwatch.GetElapsedTime(started));
        }

        for (int k = 0; k < results.Count; k++)
        {
            ScoreImageItem item = items[imageOwners[k]];
            outcomes[imageOwners[k]] = results[k].Score is { } score
                // A promotion may have switched the model after the check above.
                ? ModelVersionRule.Check(item.ModelVersion, scoredBy, switched: true) is { } refused
                    ? ImageOutcome.Failed(item.JobId, item.ImageId, refused.Code, refused.Detail)
                    : ImageOutcome.Scored(item.JobId, item.ImageId, score, scoredBy)
                : ImageOutcome.Failed(item.JobId, item.ImageId, FailureCode.InferenceFailed, results[k].Error ?? "The model failed.");
        }

        return outcomes.Select(o => o!).ToList();
    }
}
