using System.Globalization;
using MetaQap.Modeling.Ensembles;
using MetaQap.Modeling.Loss;

namespace MetaQap.Modeling.Recipes;

/// <summary>
/// <c>metaqap ablate</c>: the paper's ablation measured on content-disjoint folds, each base model (1) from scratch
/// with the MSE loss only, (2) from scratch with the quality-aware loss, (3) from quality-aware pretraining with the
/// quality-aware loss (a finished BIQ2021 recipe run's folds when given), and (4) ensembles over (3)'s out-of-fold
/// predictions: plain average, best single model and the stepwise meta-learner, both chosen or fitted on the other
/// folds. Mean ± std of PLCC and SROCC over the folds go to ablation.md / ablation.json with scatter plots.
/// </summary>
public static class AblationStudy
{
    public static AblationReport Run(string outputDirectory, string dataFolder, RecipeConfig config, PristineInputs pristine, string? recipeRun,
        RecipeInvocation invocation, RecipeLog log, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(pristine);
        ArgumentNullException.ThrowIfNull(invocation);
        ArgumentNullException.ThrowIfNull(log);
        config.Validate();
        if (config.Heads.Count > 0)
        {
            if (config.BaseModels.Count > 0)
            {
                throw new RecipeException("The ablation takes either CNN base models or frozen-trunk heads; this config has both.");
            }

            return HeadAblation.Run(outputDirectory, dataFolder, config,
                recipeRun ?? throw new RecipeException("A config with heads is ablated from its finished recipe run: pass --recipe-run."),
                invocation, log, cancellationToken);
        }

        // Everything that can be refused (the dataset, a mismatched --recipe-run, the photos) is checked before the
        // folder is claimed, so a failed start leaves no run behind.
        RecipeDataset data = RecipeDataset.Load(dataFolder, config);
        QualityAwareLossOptions qualityAware = Biq2021Recipe.Loss(config);
        var pretrainedSpec = new FoldStageSpec(Biq2021Recipe.FoldsStage, "quality-aware pretraining + quality-aware loss", qualityAware, _ => null);
        (FoldStageOutcome Stage, double PretrainSeconds)? reused = recipeRun is null ? null
            : RecipeRunReuse.Load(recipeRun, config, data, dataFolder, pretrainedSpec);
        PretrainedWeights? pretrained = recipeRun is null ? PretrainedWeights.Create(config, pristine, null, log, cancellationToken) : null;
        RecipeRunFolder folder = RecipeRunFolder.Claim(outputDirectory, config, new RunInputs
        {
            Command = "ablate",
            Data = Path.GetFullPath(dataFolder),
            Photos = pristine.PhotosFolder is { } photos ? Path.GetFullPath(photos) : null,
            Exclude = pristine.Exclude,
            RecipeRun = recipeRun is null ? null : Path.GetFullPath(recipeRun),
        });
        log.Line(string.Create(CultureInfo.InvariantCulture, $"dataset {data.Data.Name}: {data.Items.Count} items, {data.Folds.Count} content-disjoint folds"));
        var stages = new List<AblationStageTime>();

        FoldStageOutcome mse = FoldStage.Run(folder, new FoldStageSpec("scratch-mse", "from scratch, MSE loss",
            new QualityAwareLossOptions { MseWeight = 1, SroccWeight = 0 }, _ => null), config, data, log, cancellationToken);
        stages.Add(new AblationStageTime("1: from scratch, MSE", mse.Seconds, "trained here"));
        FoldStageOutcome scratch = FoldStage.Run(folder, new FoldStageSpec("scratch-qa", "from scratch, quality-aware loss", qualityAware, _ => null),
            config, data, log, cancellationToken);
        stages.Add(new AblationStageTime("2: from scratch, quality-aware loss", scratch.Seconds, "trained here"));

        FoldStageOutcome pretrainedStage;
        if (reused is { } r)
        {
            pretrainedStage = r.Stage;
            stages.Add(new AblationStageTime("3a: quality-aware pretraining", r.PretrainSeconds, $"reused from {Path.GetFullPath(recipeRun!)}"));
            stages.Add(new AblationStageTime("3b: fine-tuning from it", r.Stage.Seconds, $"reused from {Path.GetFullPath(recipeRun!)}"));
        }
        else
        {
            pretrainedStage = FoldStage.Run(folder, pretrainedSpec with { InitialWeights = m => pretrained!.For(folder, m) }, config, data, log,
                cancellationToken);
            double pretrainSeconds = config.BaseModels.Sum(m => WorkUnit.Read<PretrainOutcome>(folder.PathOf("pretrain", m.Name)).Seconds);
            stages.Add(new AblationStageTime("3a: quality-aware pretraining", pretrainSeconds, "trained here"));
            stages.Add(new AblationStageTime("3b: fine-tuning from it", pretrainedStage.Seconds, "trained here"));
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        OutOfFoldPredictions table = pretrainedStage.Table(data, config.BaseModels);
        table.Write(folder.PathOf("oof-pretrained.csv"));
        var rows = new List<AblationRow>();
        foreach ((int group, FoldStageOutcome stage) in new[] { (1, mse), (2, scratch), (3, pretrainedStage) })
        {
            OutOfFoldPredictions stageTable = stage.Table(data, config.BaseModels);
            for (int m = 0; m < config.BaseModels.Count; m++)
            {
                string name = config.BaseModels[m].Name;
                IReadOnlyList<UnitResult<FoldOutcome>> units = stage.Folds[name];
                string scatter = $"scatter-{stage.Key}-{name}.png";
                // Titles stay short: the plot's pixel font fits about 50 characters.
                Scatter.Write(folder.PathOf(scatter), $"{stage.Key} {name}, out-of-fold", [.. stageTable.Rows.Select(row => row[m])], stageTable.Mos);
                rows.Add(AblationRow.FromFolds(group, stage.Title, name, [.. units.Select(u => u.Value.Metrics)], [], scatter));
            }
        }

        foreach ((EnsembleMethod method, string title) in new[]
        {
            (EnsembleMethod.Mean, "ensemble of (3): plain average"),
            (EnsembleMethod.BestSingle, "ensemble of (3): best single model (chosen on the other folds)"),
            (EnsembleMethod.Stepwise, "ensemble of (3): stepwise meta-learner (fitted on the other folds)"),
        })
        {
            rows.Add(EnsembleRow(method, title, table, data.FoldOfItem, folder));
        }

        stages.Add(new AblationStageTime("4: ensembles and report", clock.Elapsed.TotalSeconds, "computed here"));
        var report = new AblationReport(invocation.Command, invocation.GitCommit, MachineInfo.Describe(), data.Description, data.Items.Count,
            data.Folds.Count, stages.Sum(s => s.Seconds), rows, stages);
        AblationReportWriter.Write(folder.Root, report, config);
        log.Line($"ablation: {folder.PathOf(AblationReportWriter.MarkdownFile)}");
        return report;
    }

    /// <summary>
    /// A group-4 row: the ensemble method cross-validated nested on the out-of-fold table (fitted or chosen on the
    /// other folds), with the models it kept per fold and its scatter plot.
    /// </summary>
    internal static AblationRow EnsembleRow(EnsembleMethod method, string title, OutOfFoldPredictions table, IReadOnlyList<int> foldOfItem,
        RecipeRunFolder folder)
    {
        EnsembleCrossValidation cv = EnsembleCrossValidation.Run(method, table, foldOfItem);
        string scatter = $"scatter-ensemble-{method.ToString().ToLowerInvariant()}.png";
        Scatter.Write(folder.PathOf(scatter), $"ensemble {method.ToString().ToLowerInvariant()}, nested CV", cv.Predictions, table.Mos);
        return AblationRow.FromFolds(4, title, null, [.. cv.Folds.Select(f => f.Metrics)], [.. cv.Folds.Select(f => f.Entry.Predictors)], scatter);
    }
}
