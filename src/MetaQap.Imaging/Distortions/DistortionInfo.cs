namespace MetaQap.Imaging.Distortions;

/// <summary>What a distortion type is and the parameter each of its five levels uses.</summary>
/// <param name="Name">Stable snake_case name (CLI, manifests, score events).</param>
/// <param name="LevelParameters">KADID-10k's parameter for levels 1..5, in its own units.</param>
/// <param name="QualityFallsWithLevel">
/// False where KADID's levels are not ordered by quality: mean shift and contrast change go from one side of the
/// original (level 3 = no change) to the other.
/// </param>
/// <param name="Substitution">Null when the implementation follows KADID-10k; otherwise what differs and why.</param>
public sealed record DistortionInfo(
    DistortionType Type,
    string Name,
    string Description,
    IReadOnlyList<double> LevelParameters,
    bool QualityFallsWithLevel,
    string? Substitution);
