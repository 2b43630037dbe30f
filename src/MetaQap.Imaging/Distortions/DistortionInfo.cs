namespace MetaQap.Imaging.Distortions;

/// <summary>
/// What one distortion type is: its KADID name (snake_case), what it does, KADID's parameter for levels 1..5,
/// whether quality falls as the level rises (false where KADID's levels are not ordered by quality), and, where
/// this implementation cannot reproduce KADID's generator exactly, what it does instead (null when faithful).
/// </summary>
public sealed record DistortionInfo(
    DistortionType Type,
    string Name,
    string Description,
    IReadOnlyList<double> LevelParameters,
    bool QualityFallsWithLevel,
    string? Substitution);
