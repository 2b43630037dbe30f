using MassTransit;

namespace MetaQap.Components.Scoring;

/// <summary>
/// Internal work item: one image of one job, fanned out from <c>ScoreImages</c> to the <c>score-image-items</c>
/// queue so that a micro-batch mixes images of many jobs. Not part of the public contracts.
/// Its message type and exchange keep the names it had when it lived in the worker assembly, so that items queued
/// by a worker of the previous version are consumed, not skipped, after an upgrade.
/// </summary>
[MessageUrn("MetaQap.Worker.Scoring:ScoreImageItem")]
[EntityName("MetaQap.Worker.Scoring:ScoreImageItem")]
public sealed record ScoreImageItem
{
    public required Guid JobId { get; init; }

    public required string ImageId { get; init; }

    public string? Uri { get; init; }

    public string? Base64 { get; init; }

    public string? ModelVersion { get; init; }

    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();
}
