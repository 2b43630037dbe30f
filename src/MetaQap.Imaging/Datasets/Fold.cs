namespace MetaQap.Imaging.Datasets;

/// <summary>One fold of a k-fold split: train on <see cref="Train"/>, evaluate on <see cref="Test"/>.</summary>
/// <param name="Index">0-based fold number.</param>
/// <param name="Train">Every item not in this fold's test set, in the original order.</param>
/// <param name="Test">This fold's held-out items, in the original order.</param>
public sealed record Fold(int Index, IReadOnlyList<DatasetItem> Train, IReadOnlyList<DatasetItem> Test);
