namespace MetaQap.Contracts;

/// <summary>
/// Hyperparameters of a base-model run. Every property is optional; a missing one takes the documented default of
/// its command (docs/training.md): pretraining 10 epochs at 3e-4, fine-tuning 30 epochs at 1e-4, both batch 16,
/// weight decay 0.01, patience 5, seed 0, every step of the data, all validation images, loss weights 0.5/0.5.
/// </summary>
public sealed record TrainingHyperparameters
{
    public int? Epochs { get; init; }

    /// <summary>Cap on optimisation steps per epoch; null: the whole training set.</summary>
    public int? StepsPerEpoch { get; init; }

    /// <summary>Images per step, at least 2 (the SROCC term needs a ranking).</summary>
    public int? BatchSize { get; init; }

    public double? LearningRate { get; init; }

    public double? WeightDecay { get; init; }

    /// <summary>Epochs without a better validation SROCC before stopping; 0 never stops early.</summary>
    public int? Patience { get; init; }

    /// <summary>Seed of initialisation, folds, shuffles, augmentation and dropout.</summary>
    public int? Seed { get; init; }

    /// <summary>Cap on validation images per epoch (a fixed seeded subset); null: all.</summary>
    public int? ValidationSamples { get; init; }

    /// <summary>λ1 of the quality-aware loss (MSE).</summary>
    public double? MseWeight { get; init; }

    /// <summary>λ2 of the quality-aware loss (1 − soft SROCC).</summary>
    public double? SroccWeight { get; init; }
}
