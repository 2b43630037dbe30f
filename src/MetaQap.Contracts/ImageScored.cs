namespace MetaQap.Contracts;

/// <summary>Event: one image of a job was scored. Published once per image, after the result is stored.</summary>
public sealed record ImageScored
{
    public required Guid JobId { get; init; }

    public required string ImageId { get; init; }

    /// <summary>Perceived quality on the 0–100 scale, higher is better (the ensemble's meta-learner output).</summary>
    public required double Score { get; init; }

    /// <summary>The version of the model that produced the score.</summary>
    public required string ModelVersion { get; init; }

    /// <summary>Each base model's score on the same 0–100 scale, by base model name.</summary>
    public IReadOnlyDictionary<string, double> BaseScores { get; init; } = new Dictionary<string, double>();

    /// <summary>Spread (standard deviation) of the base models' scores: high means they disagree.</summary>
    public double Uncertainty { get; init; }

    /// <summary>The most likely distortion types (KADID-10k names), most likely first.</summary>
    public IReadOnlyList<DistortionLikelihood> Distortions { get; init; } = [];

    public required DateTimeOffset ScoredAt { get; init; }

    /// <summary>The job's tags.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();
}
