using MetaQap.Modeling.Loss;
using MetaQap.Modeling.Training;

namespace MetaQap.Modeling.Recipes;

/// <summary>A finished final fit: epochs trained on every item, and the (in-sample, progress-only) SROCC of the last.</summary>
internal sealed record FinalOutcome(int Epochs, double InSampleSrocc);

/// <summary>
/// The final base model of the BIQ2021 recipe: fine-tuned from the same pretrained weights on every item for the
/// median of the folds' best epoch counts. Nothing is held out, so the last epoch's weights are kept
/// (<see cref="TrainingOptions.KeepLastEpoch"/>); its validation on a seeded subset of the training items only
/// reports progress.
/// </summary>
internal static class FinalFit
{
    public const int InSampleValidationItems = 500;

    /// <summary>Median of the folds' best epoch counts (best epoch + 1), halves rounded up.</summary>
    public static int Epochs(IEnumerable<FoldOutcome> folds)
    {
        int[] counts = [.. folds.Select(f => f.BestEpoch + 1).Order()];
        if (counts.Length == 0)
        {
            throw new ArgumentException("No folds.", nameof(folds));
        }

        double median = counts.Length % 2 == 1 ? counts[counts.Length / 2] : (counts[(counts.Length / 2) - 1] + counts[counts.Length / 2]) / 2.0;
        return Math.Max(1, (int)Math.Round(median, MidpointRounding.AwayFromZero));
    }

    /// <returns>The weights file of the final model and the unit's result.</returns>
    public static (string Weights, UnitResult<FinalOutcome> Result) Run(RecipeRunFolder folder, RecipeConfig config, BaseModelRecipe model,
        RecipeDataset data, QualityAwareLossOptions loss, string? initialWeights, int epochs, RecipeLog log, CancellationToken cancellationToken)
    {
        string directory = folder.PathOf("final", model.Name);
        string label = $"final {model.Name}";
        UnitResult<FinalOutcome> result = WorkUnit.Run(folder, directory, label, log, dir =>
        {
            FineTuningOptions options = FoldStage.Options(config, model, loss, initialWeights);
            options = options with
            {
                Training = options.Training with
                {
                    Epochs = epochs,
                    Patience = 0,
                    KeepLastEpoch = true,
                    MaxValidationSamples = Math.Min(InSampleValidationItems, data.Items.Count),
                },
            };
            var description = new { data.Data.Name, data.Data.Root, Items = data.Items.Count, Fold = "all items (final fit)", Validation = "in-sample subset, progress only" };
            TrainingResult run = new FineTuner(data.Items, data.Items, options, description).Run(dir, resume: true, log.Training(label), cancellationToken);
            return new FinalOutcome(run.History.Count, run.History[^1].ValidationSrocc);
        });
        return (Path.Combine(directory, PretrainingPlan.WeightsFile), result);
    }
}
