namespace MetaQap.Modeling.Recipes;

/// <summary>
/// A base model that is a linear quality head on the frozen ImageNet trunk (<c>resnet18_cntk</c> and its feature
/// variants): fitted by ridge regression on cached trunk features in seconds, its λ chosen by the leave-one-out
/// error on the training rows only, so held-out rows never tune it.
/// </summary>
public sealed record HeadRecipe
{
    /// <summary>Name in the ensemble; letters, digits, '.', '_', '-'; unique among heads and base models.</summary>
    public required string Name { get; init; }

    /// <summary>resnet18_cntk (pooled), resnet18_cntk_ms (per-stage mean/std) or resnet18_cntk_blocks (every block).</summary>
    public required string Architecture { get; init; }

    /// <summary>Side of the square network input.</summary>
    public required int InputSize { get; init; }

    /// <summary>Images with a longer shorter side are scaled down to this first (the ensemble's view side); at least the input size.</summary>
    public required int ViewSide { get; init; }

    /// <summary>ridge: a linear head by ridge regression (λ by leave-one-out); mlp: a two-layer head trained with the recipe's quality-aware loss.</summary>
    public HeadKind Kind { get; init; } = HeadKind.Ridge;

    /// <summary>Hidden units of an mlp head.</summary>
    public int Hidden { get; init; } = 512;

    /// <summary>Seed of an mlp head's initialisation, dropout and shuffles (the fold index is added per fold).</summary>
    public int Seed { get; init; } = 1;
}

/// <summary>How a head on the frozen trunk is fitted.</summary>
public enum HeadKind
{
    Ridge,
    Mlp,

    /// <summary>
    /// Linear, fitted without opinion scores to rank distortions of pristine photos (<see cref="RankingRecipe"/>):
    /// the license-clean default's head. <c>recipe default</c> only; a MOS recipe has scores to fit instead.
    /// </summary>
    Rank,
}

/// <summary>How every head is fitted.</summary>
public sealed record HeadFittingRecipe
{
    /// <summary>Images per trunk forward pass while caching features (small: at 512 px larger batches only cost memory traffic).</summary>
    public int TrunkBatchSize { get; init; } = 2;

    /// <summary>Images per resumable feature-cache unit.</summary>
    public int ChunkSize { get; init; } = 500;

    /// <summary>MLP heads: epochs over the cached features, rows per step, peak AdamW learning rate and weight decay.</summary>
    public int Epochs { get; init; } = 40;

    public int BatchSize { get; init; } = 128;

    public double LearningRate { get; init; } = 1e-3;

    public double WeightDecay { get; init; } = 1e-2;
}
