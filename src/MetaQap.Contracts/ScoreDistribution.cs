namespace MetaQap.Contracts;

/// <summary>Summary of a job's scores (0–100). Percentiles are linearly interpolated (PostgreSQL percentile_cont).</summary>
public sealed record ScoreDistribution
{
    public required double Mean { get; init; }

    public required double Min { get; init; }

    public required double P10 { get; init; }

    public required double P25 { get; init; }

    public required double Median { get; init; }

    public required double P75 { get; init; }

    public required double P90 { get; init; }

    public required double Max { get; init; }
}
