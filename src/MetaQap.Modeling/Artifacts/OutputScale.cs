namespace MetaQap.Modeling.Artifacts;

/// <summary>Affine map from a base model's raw quality output to the 0–100 score: score = Scale · raw + Offset.</summary>
/// <remarks>A model trained on targets in [0, 1] has Scale 100 and Offset 0.</remarks>
public sealed record OutputScale
{
    /// <summary>Multiplier of the raw output; finite and non-zero.</summary>
    public required double Scale { get; init; }

    /// <summary>Added after scaling; finite.</summary>
    public required double Offset { get; init; }
}
