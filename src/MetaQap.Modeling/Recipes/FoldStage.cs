using System.Globalization;
using MetaQap.Imaging.Datasets;
using MetaQap.Modeling.Ensembles;
using MetaQap.Modeling.Evaluation;
using MetaQap.Modeling.Loss;
using MetaQap.Modeling.Training;

namespace MetaQap.Modeling.Recipes;

/// <summary>
/// Runs a <see cref="FoldStageSpec"/>: per base model, per fold, a work unit that fine-tunes on the other folds
/// (validated on the held-out fold) and scores the held-out fold with the scoring path.
/// </summary>
internal static class FoldStage
{
    public static FoldStageOutcome Run(RecipeRunFolder folder, FoldStageSpec stage, RecipeConfig config, RecipeDataset data, RecipeLog log,
        CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, IReadOnlyList<UnitResult<FoldOutcome>>>(StringComparer.Ordinal);
        foreach (BaseModelRecipe model in config.BaseModels)
        {
            string? initialWeights = stage.InitialWeights(model);
            var units = new List<UnitResult<FoldOutcome>>();
            foreach (Fold fold in data.Folds)
            {
                cancellationToken.ThrowIfCancellationRequested();
                string label = string.Create(CultureInfo.InvariantCulture, $"{stage.Key} {model.Name} fold {fold.Index + 1}/{data.Folds.Count}");
                string directory = folder.PathOf(stage.Key, model.Name, string.Create(CultureInfo.InvariantCulture, $"fold-{fold.Index + 1}"));
                units.Add(WorkUnit.Run(folder, directory, label, log, dir =>
                    TrainFold(dir, label, stage, config, model, initialWeights, data, fold, log, cancellationToken)));
            }

            result[model.Name] = units;
            MeanStd srocc = MeanStd.Of(units.Select(u => u.Value.Metrics.Srocc));
            log.Line($"{stage.Key} {model.Name}: held-out SROCC over folds {srocc.Format()}");
        }

        return new FoldStageOutcome(stage.Key, stage.Title, result);
    }

    /// <summary>Fine-tuning options of a recipe model; the stage decides the loss and the starting weights.</summary>
    public static FineTuningOptions Options(RecipeConfig config, BaseModelRecipe model, QualityAwareLossOptions loss, string? initialWeights) => new()
    {
        Training = new TrainingOptions
        {
            Architecture = model.Architecture,
            InputSize = model.InputSize,
            Seed = model.Seed,
            Threads = config.Threads,
            Epochs = config.FineTuning.Epochs,
            MaxStepsPerEpoch = config.FineTuning.MaxStepsPerEpoch,
            BatchSize = config.FineTuning.BatchSize,
            LearningRate = config.FineTuning.LearningRate,
            Patience = config.FineTuning.Patience,
            MaxValidationSamples = config.FineTuning.ValidationSamples,
            Loss = loss,
        },
        InitialWeights = initialWeights,
        ImageCacheBytes = config.FineTuning.ImageCacheMb * 1024L * 1024L,
    };

    private static FoldOutcome TrainFold(string directory, string label, FoldStageSpec stage, RecipeConfig config, BaseModelRecipe model,
        string? initialWeights, RecipeDataset data, Fold fold, RecipeLog log, CancellationToken cancellationToken)
    {
        var description = new
        {
            data.Data.Name,
            data.Data.Root,
            Items = data.Items.Count,
            Fold = string.Create(CultureInfo.InvariantCulture, $"{fold.Index + 1}/{data.Folds.Count}"),
            FoldSeed = config.Seed,
            Stage = stage.Title,
        };
        FineTuningOptions options = Options(config, model, stage.Loss, initialWeights);
        TrainingResult run = new FineTuner(fold.Train, fold.Test, options, description).Run(directory, resume: true, log.Training(label), cancellationToken);
        double[] predicted = TrainedModel.Predict(model, run.WeightsPath, fold.Test, config.Threads, cancellationToken);
        double[] mos = BaseModelPredictions.MosOnScoreScale(fold.Test);
        return new FoldOutcome(fold.Index, run.BestEpoch, run.BestValidationSrocc, run.StoppedEarly, run.History.Count,
            [.. fold.Test.Select(i => i.ImageId)], predicted, mos, EvaluationMetrics.Compute(predicted, mos));
    }
}
