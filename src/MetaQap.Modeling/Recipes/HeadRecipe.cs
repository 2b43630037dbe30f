namespace MetaQap.Modeling.Recipes;

/// <summary>
/// A base model that is a linear quality head on the frozen ImageNet trunk (<c>resnet18_cntk</c> and its feature
/// variants): fitted by ridge regression on cached trunk features in seconds, its λ chosen by an inner
/// cross-validation on the training rows only, so held-out rows never tune it.
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
}

/// <summary>How every head is fitted.</summary>
public sealed record HeadFittingRecipe
{
    /// <summary>Inner folds that choose λ on the training rows.</summary>
    public int InnerFolds { get; init; } = 5;

    /// <summary>Images per trunk forward pass while caching features.</summary>
    public int BatchSize { get; init; } = 2;

    /// <summary>Images per resumable feature-cache unit.</summary>
    public int ChunkSize { get; init; } = 500;
}
