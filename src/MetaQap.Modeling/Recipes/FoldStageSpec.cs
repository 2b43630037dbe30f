using MetaQap.Modeling.Loss;

namespace MetaQap.Modeling.Recipes;

/// <summary>
/// A way of training the base models, run on every content-disjoint fold: the BIQ2021 recipe's fold runs and each
/// row group of the ablation. <paramref name="InitialWeights"/> gives a model's starting weights (running its
/// pretraining unit if needed) or null for the seeded random initialisation.
/// </summary>
/// <param name="Key">Folder name under the run folder, e.g. "folds" or "scratch-mse".</param>
/// <param name="Title">Human-readable name in logs and reports.</param>
internal sealed record FoldStageSpec(string Key, string Title, QualityAwareLossOptions Loss, Func<BaseModelRecipe, string?> InitialWeights);
