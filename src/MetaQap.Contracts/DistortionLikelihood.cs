namespace MetaQap.Contracts;

/// <summary>A distortion type (KADID-10k name, e.g. <c>gaussian_blur</c>) and the model's probability for it.</summary>
public sealed record DistortionLikelihood
{
    public required string Type { get; init; }

    public required double Probability { get; init; }
}
