namespace MetaQap.Contracts;

/// <summary>
/// Command: score these images as (part of) one job. A .NET producer publishes it with MassTransit (it lands on the
/// <c>score-images</c> queue); any other producer sends the same fields as plain JSON to the
/// <c>score-images-json</c> queue (docs/contracts/README.md). Recording is idempotent on
/// (<see cref="JobId"/>, <see cref="ImageReference.Id"/>): a redelivered or repeated message changes nothing.
/// </summary>
public sealed record ScoreImages
{
    /// <summary>The job's key, chosen by the producer. Every message of a job carries the same id.</summary>
    public required Guid JobId { get; init; }

    /// <summary>
    /// The images of this message (at most the worker's <c>MaxImagesPerMessage</c>, 1000 by default); an empty list
    /// is a job that completes at once. Null (left out) exactly when <see cref="ManifestUri"/> is set.
    /// </summary>
    public IReadOnlyList<ImageReference>? Images { get; init; }

    /// <summary>
    /// Instead of <see cref="Images"/>: where the worker reads the job's image list, for jobs too large for one
    /// message — a JSON Lines file (one <see cref="ImageReference"/> object a line) under a file root or at an http(s)
    /// URL the worker may fetch (the same rules as images), at most the worker's <c>MaxImagesPerManifest</c>
    /// (100,000 by default). A manifest that cannot be read or parsed rejects the message (error queue).
    /// </summary>
    public string? ManifestUri { get; init; }

    /// <summary>
    /// The number of images in the whole job when it is split over several messages; the job completes when that
    /// many distinct images have a result. Leave it out when this message is the whole job.
    /// </summary>
    public int? TotalImages { get; init; }

    /// <summary>
    /// The model version the producer expects. Left out: whatever the worker has loaded. When it differs from the
    /// loaded model, every image fails with <see cref="FailureCode.ModelVersionUnavailable"/>.
    /// </summary>
    public string? ModelVersion { get; init; }

    /// <summary>Free-form labels copied onto the job and every event it produces (for routing by subscribers).</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();
}
