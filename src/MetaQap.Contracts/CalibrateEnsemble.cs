namespace MetaQap.Contracts;

/// <summary>
/// Command (queue <c>training-commands</c>): fit a registered ensemble to a user's own rated images (docs/calibration.md)
/// — the ensemble's base models plus a ridge head on the frozen ImageNet trunk, regressed on the ratings — and
/// register the result as a new ensemble whose id is <see cref="RunId"/>. It is registered, not active: see
/// <see cref="PromoteEnsemble"/>. Its scores are on the ratings' scale (100 × their [0, 1] MOS).
/// </summary>
public sealed record CalibrateEnsemble
{
    /// <summary>Chosen by the sender; the run's and the new ensemble's id. A second command with the same id is ignored.</summary>
    public required Guid RunId { get; init; }

    /// <summary>The registered ensemble to calibrate; null: the active one.</summary>
    public Guid? EnsembleId { get; init; }

    /// <summary>The rated images: a MOS dataset (at least 30 images; about 200 give most of the gain).</summary>
    public required TrainingDataSource Data { get; init; }

    /// <summary>Side of the ImageNet trunk's view, a multiple of 32 from 64 to 2048; default 512.</summary>
    public int? ViewSide { get; init; }

    /// <summary>The version every score of the new ensemble reports; default <c>cal-</c> + the first 8 hex digits of the id.</summary>
    public string? Version { get; init; }
}
