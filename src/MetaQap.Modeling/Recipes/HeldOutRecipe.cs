namespace MetaQap.Modeling.Recipes;

/// <summary>
/// The pristine contents that pretraining never sees. The default recipe scores a fixed, seeded set of distorted
/// samples of them with every base model to fit the meta-learner; the BIQ2021 recipe keeps the same split so its
/// pretraining is the default recipe's.
/// </summary>
public sealed record HeldOutRecipe
{
    /// <summary>Fraction of each content source (synthetic, photos) held out; at least one content is.</summary>
    public required double ContentFraction { get; init; }

    /// <summary>Distorted held-out samples in the meta-learner's table (the held-out meta set size).</summary>
    public required int Samples { get; init; }

    /// <summary>Content-disjoint folds of the held-out set for the meta-learner's nested cross-validation.</summary>
    public int Folds { get; init; } = 5;

    /// <summary>
    /// How the default recipe combines its base models: <see cref="EnsembleMethod.Stepwise"/> (the MetaQAP
    /// meta-learner, fitted on the held-out set's pseudo-quality labels) or <see cref="EnsembleMethod.Mean"/>. The
    /// stepwise fit is computed and reported either way. Its only labels here are pseudo-labels, not opinions: on the
    /// shipped default it chose one model with a negative weight on another, which held up on held-out corpus
    /// contents but not on real photos (models/default/MODEL_CARD.md), so the default preset ships the mean.
    /// </summary>
    public EnsembleMethod MetaLearner { get; init; } = EnsembleMethod.Stepwise;
}
