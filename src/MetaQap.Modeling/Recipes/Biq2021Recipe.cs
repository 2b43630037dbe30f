using MetaQap.Modeling.Artifacts;
using MetaQap.Modeling.Ensembles;
using MetaQap.Modeling.Loss;

namespace MetaQap.Modeling.Recipes;

/// <summary>What a finished BIQ2021 recipe run produced.</summary>
/// <param name="MetaLearner">The stepwise meta-learner on the whole out-of-fold table (in the ensemble).</param>
/// <param name="CrossValidation">Its nested cross-validation: the reportable ensemble figures.</param>
public sealed record Biq2021RecipeResult(string EnsembleDirectory, EnsembleManifest Manifest, MetaLearnerFit MetaLearner,
    EnsembleCrossValidation CrossValidation, RecipeReport Report);

/// <summary>
/// <c>metaqap recipe biq2021</c>: per base model, quality-aware pretraining (or a default ensemble's pretrained
/// weights), then fine-tuning with the quality-aware loss on each of K content-disjoint folds (validated and
/// scored on the held-out fold) → an out-of-fold table of every item; the stepwise meta-learner on that table,
/// cross-validated nested (fit on the other folds' rows, evaluated on the fold's); final base models fine-tuned on
/// every item for the median best epoch count; the ensemble and its report. Every unit resumes (docs/recipes.md).
/// </summary>
public static class Biq2021Recipe
{
    public const string OutOfFoldFile = "oof.csv";
    public const string FoldsStage = "folds";

    public static Biq2021RecipeResult Run(string outputDirectory, string dataFolder, RecipeConfig config, PristineInputs pristine,
        string? pretrainedEnsemble, RecipeInvocation invocation, RecipeLog log, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(pristine);
        ArgumentNullException.ThrowIfNull(invocation);
        ArgumentNullException.ThrowIfNull(log);
        config.Validate();
        if (config.Heads.FirstOrDefault(h => h.Kind == HeadKind.Rank) is { } rank)
        {
            throw new RecipeException($"heads '{rank.Name}' is a rank head, which `recipe default` fits without opinion scores; a MOS recipe fits ridge or mlp heads.");
        }

        // Everything that can be refused is checked before the folder is claimed, so a failed start leaves no run behind.
        RecipeDataset data = RecipeDataset.Load(dataFolder, config);
        PretrainedWeights? pretrained = config.BaseModels.Count == 0 ? null
            : PretrainedWeights.Create(config, pristine, pretrainedEnsemble, log, cancellationToken);
        string? trunkWeights = config.Heads.Count == 0 ? null : ImageNet.ImageNetPackage.EnsureConverted();
        RecipeRunFolder folder = RecipeRunFolder.Claim(outputDirectory, config, new RunInputs
        {
            Command = "recipe biq2021",
            Data = Path.GetFullPath(dataFolder),
            Photos = pristine.PhotosFolder is { } photos ? Path.GetFullPath(photos) : null,
            Exclude = pristine.Exclude,
            Pretrained = pretrainedEnsemble is null ? null : Path.GetFullPath(pretrainedEnsemble),
        });
        log.Line($"dataset {data.Data.Name}: {data.Items.Count} items, {data.Folds.Count} content-disjoint folds");
        QualityAwareLossOptions loss = Loss(config);
        FoldStageOutcome stage = config.BaseModels.Count == 0
            ? new FoldStageOutcome(FoldsStage, "none", new Dictionary<string, IReadOnlyList<UnitResult<FoldOutcome>>>())
            : FoldStage.Run(folder, new FoldStageSpec(FoldsStage, "quality-aware pretraining + quality-aware loss", loss, m => pretrained!.For(folder, m)),
                config, data, log, cancellationToken);
        HeadStageOutcome? heads = trunkWeights is null ? null : HeadStage.Run(folder, config, data, trunkWeights, log, cancellationToken);

        OutOfFoldPredictions table = OutOfFoldTable(data, config, stage, heads);
        table.Write(folder.PathOf(OutOfFoldFile));
        MetaLearnerFit fit = MetaLearnerFitting.FitStepwise(table);
        EnsembleCrossValidation cv = EnsembleCrossValidation.Run(EnsembleMethod.Stepwise, table, data.FoldOfItem);
        log.Line($"meta-learner: kept {string.Join(", ", fit.Entry.Predictors)}; nested CV SROCC {cv.Srocc.Format()} PLCC {cv.Plcc.Format()}");

        var sources = new List<BaseModelSource>();
        var finalEpochs = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (BaseModelRecipe model in config.BaseModels)
        {
            int epochs = FinalFit.Epochs(stage.Folds[model.Name].Select(u => u.Value));
            (string weights, _) = FinalFit.Run(folder, config, model, data, loss, pretrained!.For(folder, model), epochs, log, cancellationToken);
            finalEpochs[model.Name] = epochs;
            sources.Add(TrainedModel.Source(model, weights));
        }

        foreach (HeadRecipe head in config.Heads)
        {
            sources.Add(TrainedModel.Source(head, heads!.FinalWeights[head.Name]));
        }

        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        MetricKeys.Add(metrics, "cv_", cv);
        foreach ((string key, double value) in MetaLearnerFitting.OutOfFoldMetrics(fit.OutOfFold))
        {
            metrics[key] = value;
        }

        var reports = config.BaseModels.Select(m => BaseModelReport.From(m, stage.Folds[m.Name], finalEpochs[m.Name]))
            .Concat(config.Heads.Select(h => BaseModelReport.From(h, heads!.Folds[h.Name])))
            .ToList();
        foreach (BaseModelReport m in reports)
        {
            metrics[$"cv_{m.Name}_plcc"] = m.Plcc.Mean;
            metrics[$"cv_{m.Name}_srocc"] = m.Srocc.Mean;
        }

        List<string> trainingData = [data.Description, .. pretrained?.TrainingData ?? []];
        if (trunkWeights is not null)
        {
            trainingData.Add(ImageNet.ImageNetPackage.Provenance(trunkWeights));
        }

        (string directory, EnsembleManifest manifest) = RecipeEnsemble.Build(folder, config, invocation, sources, fit.Entry, trainingData,
            metrics.Where(kv => double.IsFinite(kv.Value)).ToDictionary(), log);

        var report = new RecipeReport(config.Name, invocation.Command, invocation.GitCommit, config.Seed, MachineInfo.Describe(), folder.Clock.TotalSeconds,
            $"content-disjoint {data.Folds.Count}-fold cross-validation on {data.Data.Name}", data.Items.Count, trainingData, reports,
            new MetaLearnerReport(fit.Entry.Intercept, fit.Entry.Predictors, fit.Entry.Coefficients, fit.OutOfFold, EnsembleReport.From(cv)),
            RecipeEnsemble.Folder, config.BudgetMinutes);
        RecipeReportWriter.Write(folder.Root, report, cv.Predictions, table.Mos, $"{config.Name}: ensemble, nested CV");
        log.Line($"report: {folder.PathOf(RecipeReportWriter.MarkdownFile)}");
        return new Biq2021RecipeResult(directory, manifest, fit, cv, report);
    }

    /// <summary>The fine-tuned models' columns, then the heads', each row an item in dataset order.</summary>
    private static OutOfFoldPredictions OutOfFoldTable(RecipeDataset data, RecipeConfig config, FoldStageOutcome stage, HeadStageOutcome? heads)
    {
        var folds = new Dictionary<string, IReadOnlyList<UnitResult<FoldOutcome>>>(stage.Folds, StringComparer.Ordinal);
        foreach ((string name, IReadOnlyList<UnitResult<FoldOutcome>> units) in heads?.Folds ?? new Dictionary<string, IReadOnlyList<UnitResult<FoldOutcome>>>())
        {
            folds[name] = units;
        }

        IReadOnlyList<string> names = [.. config.BaseModels.Select(m => m.Name), .. config.Heads.Select(h => h.Name)];
        return new FoldStageOutcome(stage.Key, stage.Title, folds).Table(data, names);
    }

    /// <summary>The quality-aware loss of the config's fine-tuning section.</summary>
    internal static QualityAwareLossOptions Loss(RecipeConfig config) =>
        new() { MseWeight = config.FineTuning.MseWeight, SroccWeight = config.FineTuning.SroccWeight };
}
