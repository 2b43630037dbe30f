namespace MetaQap.Modeling.Training;

/// <summary>What pretraining on the quality-aware corpus adds to <see cref="TrainingOptions"/>.</summary>
public sealed record PretrainingOptions
{
    public TrainingOptions Training { get; init; } = new();

    /// <summary>Weight w of the distortion-type cross-entropy added to the quality-aware loss.</summary>
    public double DistortionLossWeight { get; init; } = 1.0;

    /// <summary>
    /// A backbone-only safetensors file (e.g. the converted ImageNet weights of resnet18_cntk) to start from instead
    /// of a random initialisation; the heads keep their seeded initialisation.
    /// </summary>
    public string? InitialBackboneWeights { get; init; }

    /// <summary>Fraction of the pristine contents held out for validation (content-disjoint).</summary>
    public double ValidationFraction { get; init; } = 0.2;

    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Training, nameof(Training));
        Training.Validate();
        if (!double.IsFinite(DistortionLossWeight) || DistortionLossWeight < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(DistortionLossWeight), DistortionLossWeight, "DistortionLossWeight must be finite and >= 0.");
        }

        if (!(ValidationFraction is > 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(ValidationFraction), ValidationFraction, "ValidationFraction must be in (0, 1).");
        }
    }
}
