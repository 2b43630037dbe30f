using MassTransit;
using MetaQap.Components.Jobs;
using MetaQap.Components.Outcomes;
using MetaQap.Components.Sources;
using MetaQap.Contracts;
using Microsoft.Extensions.Options;

namespace MetaQap.Components.Scoring;

/// <summary>
/// Records a <c>ScoreImages</c> message (idempotently) and fans its pending images out as
/// <see cref="ScoreImageItem"/>s. References that cannot be valid, and images asking for a model version this
/// worker does not have, fail here without being queued. Consumes both the MassTransit queue and the raw JSON one.
/// A job sent as a manifest is read here and recorded in chunks of <c>MaxImagesPerMessage</c>, exactly as if it had
/// come as that many messages (a redelivery records nothing twice and re-queues only images still pending).
/// </summary>
public sealed class ScoreImagesConsumer(JobStore store, JobOutcomes outcomes, IBus bus, LoadedModel model,
    JobManifestReader manifests, IOptions<BatchingOptions> batching, TimeProvider time, ILogger<ScoreImagesConsumer> logger) : IConsumer<ScoreImages>
{
    private const int MaxImageIdLength = 200;

    public async Task Consume(ConsumeContext<ScoreImages> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        ScoreImages message = context.Message;
        Validate(message);
        CancellationToken ct = context.CancellationToken;
        string loadedVersion = model.Scorer.ModelVersion;
        IReadOnlyDictionary<string, string> tags = message.Tags ?? new Dictionary<string, string>();

        IReadOnlyList<ImageReference> all = message.Images ?? await manifests.ReadAsync(message.ManifestUri!, ct);
        ValidateImages(all, message.TotalImages);
        var images = new List<NewImage>(all.Count);
        // Each reference parsed once, here: the work item carries the parsed location to the batch consumer.
        var locations = new Dictionary<string, ImageLocation>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        ImageFailure? versionRefused = ModelVersionRule.Check(message.ModelVersion, loadedVersion);
        foreach (ImageReference reference in all)
        {
            if (!seen.Add(reference.Id))
            {
                logger.LogWarning("Job {JobId}: image id {ImageId} appears twice in one message; the first is used", message.JobId, reference.Id);
                continue;
            }

            (NewImage image, ImageLocation? location) = Describe(reference, versionRefused);
            images.Add(image);
            if (location is not null)
            {
                locations.Add(reference.Id, location);
            }
        }

        var job = new NewJob(message.JobId, message.TotalImages ?? images.Count, message.ModelVersion, tags,
            context.SentTime is { } sent ? new DateTimeOffset(DateTime.SpecifyKind(sent, DateTimeKind.Utc)) : time.GetUtcNow());
        // Delivered before (the worker stopped mid-message) or retried: an earlier attempt may have stored events it
        // did not get to publish.
        bool resumed = context.ReceiveContext.Redelivered || context.GetRetryAttempt() > 0;
        var newlyFailed = new List<NewImage>();
        // An empty job is still recorded (once), so that it completes at once with an empty summary.
        NewImage[][] chunks = images.Count == 0 ? [[]] : [.. images.Chunk(batching.Value.MaxImagesPerMessage)];
        foreach (NewImage[] chunk in chunks)
        {
            RecordedImages recorded = await store.RecordAsync(job, chunk, ct);
            if (!recorded.JobIsOpen && !resumed)
            {
                logger.LogWarning("Job {JobId} has already completed; a later message for it is ignored", message.JobId);
                return;
            }

            newlyFailed.AddRange(recorded.NewlyFailed);
            // An id Pending from an earlier message whose reference here does not parse keeps that message's item.
            string[] queued = [.. recorded.PendingImageIds.Where(locations.ContainsKey)];
            if (queued.Length > 0)
            {
                // Through the bus, not the consume context: see JobOutcomes.
                await bus.PublishBatch(queued.Select(id => ScoreImageItem.For(message.JobId, id, locations[id], message.ModelVersion, tags)), ct);
            }
        }

        DateTimeOffset now = time.GetUtcNow();
        await outcomes.FinishAsync(new FinishedWork
        {
            Recorded = newlyFailed
                .Select(f => new StoredOutcome(ImageOutcome.Failed(message.JobId, f.ImageId, f.Failure!.Code, f.Failure.Detail), job.EnqueuedAt, now))
                .ToList(),
            // Only images this message fails itself: the others are finished by the batch consumer, which
            // publishes them.
            Resumed = resumed ? images.Where(i => i.Failure is not null).Select(i => (message.JobId, i.ImageId)).ToArray() : [],
            Redelivered = resumed,
            Jobs = [message.JobId],
            Tags = new Dictionary<Guid, IReadOnlyDictionary<string, string>> { [message.JobId] = tags },
        }, ct);
    }

    private void Validate(ScoreImages message)
    {
        if (message.JobId == Guid.Empty)
        {
            throw new InvalidScoringRequestException("jobId is missing or empty.");
        }

        bool hasManifest = !string.IsNullOrWhiteSpace(message.ManifestUri);
        if (hasManifest == message.Images is not null)
        {
            throw new InvalidScoringRequestException(hasManifest
                ? "Send either images or manifestUri, not both."
                : "images is missing (send a list, possibly empty, or a manifestUri).");
        }

        int max = batching.Value.MaxImagesPerMessage;
        if (message.Images is { } listed && listed.Count > max)
        {
            throw new InvalidScoringRequestException(
                $"The message has {listed.Count} images, over the limit of {max}; split the job over several messages with totalImages, or send a manifestUri.");
        }

        // Ids, tags and the model version are stored as they are; PostgreSQL's text and jsonb cannot hold NUL.
        if (HasNul(message.ModelVersion) || (message.Tags is { } tags && tags.Any(t => HasNul(t.Key) || HasNul(t.Value))))
        {
            throw new InvalidScoringRequestException("Image ids, tags and modelVersion must not contain NUL characters.");
        }
    }

    /// <summary>The checks of every image reference, whether listed in the message or read from its manifest.</summary>
    private static void ValidateImages(IReadOnlyList<ImageReference> images, int? totalImages)
    {
        if (totalImages is { } total && total < images.Count)
        {
            throw new InvalidScoringRequestException($"totalImages ({total}) is less than the {images.Count} images of this message.");
        }

        foreach (ImageReference image in images)
        {
            if (image is null || string.IsNullOrWhiteSpace(image.Id) || image.Id.Length > MaxImageIdLength)
            {
                throw new InvalidScoringRequestException($"Every image needs an id of 1 to {MaxImageIdLength} characters.");
            }

            if (HasNul(image.Id))
            {
                throw new InvalidScoringRequestException("Image ids, tags and modelVersion must not contain NUL characters.");
            }
        }
    }

    private static bool HasNul(string? text) => text is not null && text.Contains('\0', StringComparison.Ordinal);

    /// <summary>The image as recorded (failed here for an invalid reference or a refused version), and its parsed location.</summary>
    private static (NewImage Image, ImageLocation? Location) Describe(ImageReference reference, ImageFailure? versionRefused)
    {
        ImageLocation location;
        try
        {
            location = ImageLocation.Parse(reference.Uri, reference.Base64);
        }
        catch (ImageFetchException e)
        {
            string source = reference.Uri is null ? "(none)" : ImageLocation.Redact(reference.Uri);
            return (new NewImage(reference.Id, source, new ImageFailure(e.Code, e.Message)), null);
        }

        // The location is kept even when the version is refused: an image an earlier delivery recorded as Pending
        // (before a promotion switched the model) is still queued again, as any pending image of a redelivery is.
        return (new NewImage(reference.Id, location.Describe(), versionRefused), location);
    }
}
