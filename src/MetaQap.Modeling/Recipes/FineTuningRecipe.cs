namespace MetaQap.Modeling.Recipes;

/// <summary>Fine-tuning on a MOS dataset: K content-disjoint folds, then a final fit on every item.</summary>
public sealed record FineTuningRecipe
{
    /// <summary>K of the content-disjoint K-fold cross-validation.</summary>
    public required int Folds { get; init; }

    /// <summary>Maximum epochs of a fold run (early stopping may end it sooner).</summary>
    public required int Epochs { get; init; }

    /// <summary>Cap on optimisation steps per epoch; null: the whole training part of the fold.</summary>
    public int? MaxStepsPerEpoch { get; init; }

    public required int BatchSize { get; init; }

    /// <summary>Peak AdamW learning rate.</summary>
    public required double LearningRate { get; init; }

    /// <summary>Epochs without a better validation SROCC before a fold run stops; 0 never stops early.</summary>
    public int Patience { get; init; }

    /// <summary>λ1 of the quality-aware loss (MSE).</summary>
    public double MseWeight { get; init; } = 0.5;

    /// <summary>λ2 of the quality-aware loss (1 − soft SROCC).</summary>
    public double SroccWeight { get; init; } = 0.5;

    /// <summary>Cap on validation images per epoch (a seeded subset of the held-out fold); null: all.</summary>
    public int? ValidationSamples { get; init; }

    /// <summary>Memory for decoded training images, in MiB.</summary>
    public int ImageCacheMb { get; init; } = 1024;
}
