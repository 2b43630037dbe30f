using MassTransit;
using MetaQap.Components.Sources;
using MetaQap.Contracts;

namespace MetaQap.Components.Scoring;

/// <summary>
/// Internal work item: one image of one job, fanned out from <c>ScoreImages</c> to the <c>score-image-items</c>
/// queue so that a micro-batch mixes images of many jobs. Not part of the public contracts. The reference travels as
/// the new-job consumer parsed it (exactly one of <see cref="FilePath"/>, <see cref="Url"/> and <see cref="Base64"/>),
/// so the batch consumer does not parse it again.
/// Its message type and exchange keep the names it had when it lived in the worker assembly, so that items queued
/// by a worker of the previous version are consumed, not skipped, after an upgrade.
/// </summary>
[MessageUrn("MetaQap.Worker.Scoring:ScoreImageItem")]
[EntityName("MetaQap.Worker.Scoring:ScoreImageItem")]
public sealed record ScoreImageItem
{
    public required Guid JobId { get; init; }

    public required string ImageId { get; init; }

    /// <summary>A file reference: the path as sent (checked against the file roots when it is read).</summary>
    public string? FilePath { get; init; }

    /// <summary>An http(s) reference (checked against the network policy when it is fetched).</summary>
    public string? Url { get; init; }

    public string? Base64 { get; init; }

    /// <summary>The reference as sent, on items queued by a worker of the previous version only.</summary>
    public string? Uri { get; init; }

    public string? ModelVersion { get; init; }

    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    /// <summary>The item of a parsed reference.</summary>
    public static ScoreImageItem For(Guid jobId, string imageId, ImageLocation location, string? modelVersion,
        IReadOnlyDictionary<string, string> tags) => new()
    {
        JobId = jobId,
        ImageId = imageId,
        FilePath = (location as FileLocation)?.Path,
        Url = (location as HttpLocation)?.Uri.OriginalString,
        Base64 = (location as InlineLocation)?.Base64,
        ModelVersion = modelVersion,
        Tags = tags,
    };

    /// <summary>Where the image is; throws <see cref="ImageFetchException"/> for an item that names no usable source.</summary>
    public ImageLocation Location() => (FilePath, Url, Base64) switch
    {
        ({ } path, null, null) => new FileLocation(path),
        (null, { } url, null) when System.Uri.TryCreate(url, UriKind.Absolute, out Uri? parsed) && parsed.Scheme is "http" or "https" =>
            new HttpLocation(parsed),
        (null, null, { } data) => new InlineLocation(data),
        (null, null, null) => ImageLocation.Parse(Uri, null),
        _ => throw new ImageFetchException(FailureCode.InvalidReference, "The work item names more than one source, or a URL that is not http(s)."),
    };
}
