using MetaQap.Imaging.Distortions;

namespace MetaQap.Modeling.Recipes;

/// <summary>
/// How <c>recipe default</c> fits its rank heads (<see cref="HeadKind.Rank"/>) on the frozen ImageNet trunk, with no
/// opinion score: crops of the pristine photos, each pristine and under every type of <see cref="Types"/> at levels
/// 1–5, whose trunk features train <see cref="Features.PairwiseRanking"/>.
/// </summary>
public sealed record RankingRecipe
{
    /// <summary>Photos are first scaled to this shorter side, as the worker views an image (the heads' view side).</summary>
    public int ViewSide { get; init; } = 512;

    /// <summary>Side of the square crops cut from the scaled photos, at that scale.</summary>
    public int CropSize { get; init; } = 256;

    /// <summary>Crops per photo; each is one group of pairs (its pristine version and all its distortions).</summary>
    public int CropsPerContent { get; init; } = 2;

    /// <summary>
    /// Distortion types applied (KADID-10k's names). The default keeps those that real cameras and pipelines make
    /// (blur, noise, compression, exposure, contrast); the colour, patch and jitter types are synthetic artefacts
    /// with no counterpart in authentic photos.
    /// </summary>
    public IReadOnlyList<DistortionType> Types { get; init; } =
    [
        DistortionType.GaussianBlur, DistortionType.LensBlur, DistortionType.MotionBlur,
        DistortionType.WhiteNoise, DistortionType.WhiteNoiseColorComponent, DistortionType.MultiplicativeNoise,
        DistortionType.Jpeg, DistortionType.Jpeg2000,
        DistortionType.Brighten, DistortionType.Darken, DistortionType.ContrastChange,
    ];

    /// <summary>L2 penalty on the standardised weights.</summary>
    public double L2 { get; init; } = 1e-3;

    /// <summary>Full-batch Adam steps.</summary>
    public int Steps { get; init; } = 300;

    /// <summary>Photos per feature chunk (a resumable unit).</summary>
    public int ChunkContents { get; init; } = 16;
}
