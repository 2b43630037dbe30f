using MetaQap.Contracts;
using MetaQap.Modeling.Scoring;

namespace MetaQap.Components.Jobs;

/// <summary>A job as a <see cref="ScoreImages"/> message declares it.</summary>
public sealed record NewJob(Guid JobId, int ExpectedImages, string? RequestedModelVersion,
    IReadOnlyDictionary<string, string> Tags, DateTimeOffset EnqueuedAt);

/// <summary>One image of a message: pending work, or (when <see cref="Failure"/> is set) already failed.</summary>
public sealed record NewImage(string ImageId, string Source, ImageFailure? Failure);

/// <summary>Why an image failed, with a detail for people.</summary>
public sealed record ImageFailure(FailureCode Code, string Detail);

/// <summary>What recording a message changed.</summary>
/// <param name="PendingImageIds">The message's images still waiting for a result (new or not): the work to queue.</param>
/// <param name="NewlyFailed">Images this call recorded as failed (their events are still to be published).</param>
/// <param name="JobIsOpen">False when the job had already completed: nothing was recorded.</param>
public sealed record RecordedImages(IReadOnlyList<string> PendingImageIds, IReadOnlyList<NewImage> NewlyFailed, bool JobIsOpen);

/// <summary>The result of one image: a score or a failure.</summary>
public sealed record ImageOutcome(Guid JobId, string ImageId, ImageScore? Score, string? ModelVersion, ImageFailure? Failure)
{
    public static ImageOutcome Scored(Guid jobId, string imageId, ImageScore score, string modelVersion) =>
        new(jobId, imageId, score, modelVersion, null);

    public static ImageOutcome Failed(Guid jobId, string imageId, FailureCode code, string detail) =>
        new(jobId, imageId, null, null, new ImageFailure(code, detail));
}

/// <summary>A stored outcome that this write moved out of Pending, with when it was enqueued and finished.</summary>
public sealed record StoredOutcome(ImageOutcome Outcome, DateTimeOffset EnqueuedAt, DateTimeOffset FinishedAt);

/// <summary>What <see cref="JobStore"/> hands back of one batch's write (<see cref="JobStore.SaveResultsAsync(IReadOnlyList{ImageOutcome}, IReadOnlyCollection{ValueTuple{Guid, string}}, CancellationToken)"/>).</summary>
/// <param name="Stored">The outcomes this write moved out of Pending: to be counted and published.</param>
/// <param name="Unpublished">Outcomes of resumed images that an earlier attempt stored but did not mark as published.</param>
public sealed record SavedOutcomes(IReadOnlyList<StoredOutcome> Stored, IReadOnlyList<StoredOutcome> Unpublished);

/// <summary>A completed job's stored summary, from which its <c>ScoringJobCompleted</c> is built.</summary>
public sealed record JobSummary(Guid JobId, int ScoredImages, int FailedImages, IReadOnlyDictionary<string, int> FailuresByCode,
    ScoreDistribution? Scores, string? ModelVersion, DateTimeOffset CreatedAt, DateTimeOffset CompletedAt,
    IReadOnlyDictionary<string, string> Tags)
{
    public int TotalImages => ScoredImages + FailedImages;
}

/// <summary>What finishing a batch's outcomes completed (<see cref="JobStore.MarkPublishedAndCompleteAsync"/>).</summary>
/// <param name="Completed">Jobs this call completed (each is returned by exactly one call, ever).</param>
/// <param name="Unpublished">Asked for after a redelivery: other completed jobs whose completion event is not marked.</param>
public sealed record CompletedJobs(IReadOnlyList<JobSummary> Completed, IReadOnlyList<JobSummary> Unpublished);

/// <summary>A job's state as stored, for <c>metaqap jobs</c> and tests.</summary>
public sealed record JobStatus(Guid Id, string Status, int ExpectedImages, int RecordedImages, int PendingImages,
    int ScoredImages, int FailedImages, string? ModelVersion, DateTimeOffset CreatedAt, DateTimeOffset? CompletedAt);

/// <summary>One image's stored row.</summary>
public sealed record ImageResult(string ImageId, string Source, string Status, double? Score, double? Uncertainty,
    string? ModelVersion, string? FailureCode, string? FailureDetail);

/// <summary>An image that stayed Pending past the pending timeout, and its job's tags (for its event).</summary>
public sealed record StalePendingImage(Guid JobId, string ImageId, IReadOnlyDictionary<string, string> Tags);
