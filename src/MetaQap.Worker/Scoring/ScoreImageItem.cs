namespace MetaQap.Worker.Scoring;

/// <summary>
/// Internal work item: one image of one job, fanned out from <c>ScoreImages</c> to the <c>score-image-items</c>
/// queue so that a micro-batch mixes images of many jobs. Not part of the public contracts.
/// </summary>
public sealed record ScoreImageItem
{
    public required Guid JobId { get; init; }

    public required string ImageId { get; init; }

    public string? Uri { get; init; }

    public string? Base64 { get; init; }

    public string? ModelVersion { get; init; }

    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();
}
