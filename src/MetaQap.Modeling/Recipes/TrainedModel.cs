using MetaQap.Imaging.Datasets;
using MetaQap.Modeling.Artifacts;
using MetaQap.Modeling.Ensembles;
using MetaQap.Modeling.Training;

namespace MetaQap.Modeling.Recipes;

/// <summary>A trained base model's weights file scored on dataset items exactly as the ensemble will score them.</summary>
internal static class TrainedModel
{
    /// <summary>Raw quality output to 0–100: every model of a recipe is trained on targets in [0, 1].</summary>
    public static OutputScale Scale { get; } = new() { Scale = 100, Offset = 0 };

    public static double[] Predict(BaseModelRecipe model, string weightsFile, IReadOnlyList<DatasetItem> items, int threads,
        CancellationToken cancellationToken)
    {
        using var torchThreads = TorchThreads.Use(threads);
        return BaseModelPredictions.PredictWeightsFile(model.Architecture, weightsFile, items, model.InputSize, Scale,
            cancellationToken: cancellationToken);
    }

    /// <summary>The ensemble's view of a recipe model.</summary>
    /// <summary>A head's 0–100 scores through the scoring path (its input size and view side), as the ensemble will score.</summary>
    public static double[] Predict(HeadRecipe head, string weightsFile, IReadOnlyList<DatasetItem> items, int threads,
        CancellationToken cancellationToken)
    {
        using var torchThreads = TorchThreads.Use(threads);
        return BaseModelPredictions.PredictWeightsFile(head.Architecture, weightsFile, items, head.InputSize, Scale,
            cancellationToken: cancellationToken, viewSide: head.ViewSide);
    }

    public static BaseModelSource Source(BaseModelRecipe model, string weightsFile) =>
        new(model.Name, weightsFile, model.Architecture, model.InputSize) { OutputScale = Scale };

    /// <summary>The ensemble's view of a frozen-trunk head: the trunk's own input normalisation, its view, no distortion head.</summary>
    public static BaseModelSource Source(HeadRecipe head, string weightsFile) =>
        new(head.Name, weightsFile, head.Architecture, head.InputSize)
        {
            OutputScale = Scale,
            ViewSide = head.ViewSide,
            NormalizationMean = Features.ImageNetNormalization.Mean,
            NormalizationStd = Features.ImageNetNormalization.Std,
            HasDistortionHead = false,
            QualityHeadHidden = HeadStage.HiddenOf(head) is > 0 and int hidden ? hidden : null,
        };
}
