using MetaQap.Modeling.Ensembles;

namespace MetaQap.Modeling.Recipes;

/// <summary>Every fold unit of a stage: per model name, its folds in order.</summary>
internal sealed record FoldStageOutcome(string Key, string Title, IReadOnlyDictionary<string, IReadOnlyList<UnitResult<FoldOutcome>>> Folds)
{
    public double Seconds => Folds.Values.Sum(units => units.Sum(u => u.Seconds));

    /// <summary>
    /// The out-of-fold table: per item in dataset order its MOS (0–100) and each model's score from the fold in
    /// which the item was held out.
    /// </summary>
    public OutOfFoldPredictions Table(RecipeDataset data, IReadOnlyList<BaseModelRecipe> models) =>
        Table(data, [.. models.Select(m => m.Name)]);

    /// <summary><see cref="Table(RecipeDataset, IReadOnlyList{BaseModelRecipe})"/> for models named <paramref name="models"/>.</summary>
    public OutOfFoldPredictions Table(RecipeDataset data, IReadOnlyList<string> models)
    {
        var rows = data.Items.Select(_ => new double[models.Count]).ToArray();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < data.Items.Count; i++)
        {
            index[data.Items[i].ImageId] = i;
        }

        for (int m = 0; m < models.Count; m++)
        {
            foreach (UnitResult<FoldOutcome> unit in Folds[models[m]])
            {
                for (int j = 0; j < unit.Value.ImageIds.Count; j++)
                {
                    rows[index[unit.Value.ImageIds[j]]][m] = unit.Value.Predicted[j];
                }
            }
        }

        return new OutOfFoldPredictions([.. data.Items.Select(i => i.ImageId)], BaseModelPredictions.MosOnScoreScale(data.Items),
            models, rows);
    }
}
