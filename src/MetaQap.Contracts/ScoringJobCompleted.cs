namespace MetaQap.Contracts;

/// <summary>
/// Event: every image of the job has a result or a failure. Published exactly once per job, with a summary.
/// </summary>
public sealed record ScoringJobCompleted
{
    public required Guid JobId { get; init; }

    /// <summary>Distinct images in the job (= <see cref="ScoredImages"/> + <see cref="FailedImages"/>).</summary>
    public required int TotalImages { get; init; }

    public required int ScoredImages { get; init; }

    public required int FailedImages { get; init; }

    /// <summary>Failed images by <see cref="FailureCode"/> name; codes with no failure are left out.</summary>
    public IReadOnlyDictionary<string, int> FailuresByCode { get; init; } = new Dictionary<string, int>();

    /// <summary>The distribution of the scores; null when no image was scored.</summary>
    public ScoreDistribution? Scores { get; init; }

    /// <summary>
    /// The model version that scored the images; null when none was scored. A job scored while an ensemble was
    /// promoted has images of both versions: this is the version that scored its last image, and each
    /// <see cref="ImageScored"/> says which version scored that image.
    /// </summary>
    public string? ModelVersion { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset CompletedAt { get; init; }

    /// <summary>The job's tags.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();
}
