using System.Globalization;
using MetaQap.Modeling.Ensembles;
using MetaQap.Modeling.Evaluation;
using MetaQap.Modeling.Features;
using MetaQap.Modeling.Loss;

namespace MetaQap.Modeling.Recipes;

/// <summary>
/// The ablation of a BIQ2021 recipe run on the ImageNet basis (<c>metaqap ablate --recipe-run RUN</c> with a config
/// that has heads), on the run's own content-disjoint folds: (1) the frozen trunk with linear (ridge) heads per
/// feature set and view; (2) the same two-layer heads trained with the MSE loss alone (trained here, from the run's
/// cached features, each fold a resumable unit <c>heads/&lt;name&gt;/fold-k</c> of the ablation's folder); (3) those heads with the quality-aware loss, as the recipe trains them; (4) ensembles of every
/// head: plain average, best single head and the stepwise meta-learner, chosen or fitted on the other folds.
/// Rows (1), (3) and (4) are the run's out-of-fold predictions (the recipe's heads are deterministic, so refitting
/// would reproduce them); per-row wall times come from the run's report. Not measured here (the CPU budget of these
/// machines): fine-tuning the trunk from scratch or from ImageNet, and quality-aware pretraining of the trunk.
/// </summary>
internal static class HeadAblation
{
    public static AblationReport Run(string outputDirectory, string dataFolder, RecipeConfig config, string recipeRun, RecipeInvocation invocation,
        RecipeLog log, CancellationToken cancellationToken)
    {
        RecipeDataset data = RecipeDataset.Load(dataFolder, config);
        string root = Path.GetFullPath(recipeRun);
        RecipeRunReuse.CheckSameRun(root, config, dataFolder);
        string oofPath = Path.Combine(root, Biq2021Recipe.OutOfFoldFile);
        string reportPath = Path.Combine(root, RecipeReportWriter.JsonFile);
        if (!File.Exists(oofPath) || !File.Exists(reportPath))
        {
            throw new RecipeException($"--recipe-run {root} is not finished (no {Biq2021Recipe.OutOfFoldFile} or {RecipeReportWriter.JsonFile}); re-run its command first.");
        }

        OutOfFoldPredictions table = OutOfFoldPredictions.Read(oofPath);
        if (!table.ImageIds.SequenceEqual(data.Items.Select(i => i.ImageId), StringComparer.Ordinal))
        {
            throw new RecipeException($"{oofPath} does not list this dataset's items in order.");
        }

        RecipeReport recipeReport = RecipeJson.Read<RecipeReport>(reportPath);
        RecipeRunFolder folder = RecipeRunFolder.Claim(outputDirectory, config, new RunInputs
        {
            Command = "ablate",
            Data = Path.GetFullPath(dataFolder),
            RecipeRun = root,
        });
        log.Line(string.Create(CultureInfo.InvariantCulture, $"dataset {data.Data.Name}: {data.Items.Count} items, {data.Folds.Count} content-disjoint folds"));

        var rows = new List<AblationRow>();
        var stages = new List<AblationStageTime>();
        foreach ((int Input, int View) view in config.Heads.Select(h => (h.InputSize, h.ViewSide)).Distinct())
        {
            stages.Add(new AblationStageTime(string.Create(CultureInfo.InvariantCulture, $"frozen trunk features at {view.Input} px (view {view.View})"),
                FeatureCache.Seconds(root, view.Input, view.View), $"reused from {root}"));
        }

        foreach (HeadRecipe head in config.Heads.Where(h => h.Kind == HeadKind.Ridge))
        {
            rows.Add(FromTable(1, "frozen ImageNet trunk + linear head (ridge)", head, table, data, folder, Seconds(recipeReport, head.Name)));
        }

        var mse = new QualityAwareLossOptions { MseWeight = 1, SroccWeight = 0 };
        double mseSeconds = 0;
        foreach (HeadRecipe head in config.Heads.Where(h => h.Kind == HeadKind.Mlp))
        {
            float[][] x = BlockFeatureLayout.Select(
                FeatureCache.ReadFinished(root, config, data.Items.Count, head.InputSize, head.ViewSide), BlockFeatureLayout.Columns(head.Architecture));
            IReadOnlyList<UnitResult<FoldOutcome>> units = HeadStage.FitFolds(config, head, x, data, mse, folder, log, cancellationToken);
            mseSeconds += units.Sum(u => u.Seconds);
            double[] predicted = new double[data.Items.Count];
            var index = data.Items.Select((item, i) => (item.ImageId, i)).ToDictionary(p => p.ImageId, p => p.i, StringComparer.Ordinal);
            foreach (UnitResult<FoldOutcome> unit in units)
            {
                for (int j = 0; j < unit.Value.ImageIds.Count; j++)
                {
                    predicted[index[unit.Value.ImageIds[j]]] = unit.Value.Predicted[j];
                }
            }

            string scatter = $"scatter-mse-{head.Name}.png";
            Scatter.Write(folder.PathOf(scatter), $"{head.Name}, MSE loss, out-of-fold", predicted, table.Mos);
            rows.Add(AblationRow.FromFolds(2, $"frozen trunk + two-layer head, MSE loss: {head.Architecture} at {head.InputSize} px", head.Name,
                [.. units.Select(u => u.Value.Metrics)], [], scatter, units.Sum(u => u.Seconds)));
        }

        stages.Add(new AblationStageTime("(2) two-layer heads with the MSE loss", mseSeconds, "trained here"));
        foreach (HeadRecipe head in config.Heads.Where(h => h.Kind == HeadKind.Mlp))
        {
            rows.Add(FromTable(3, "frozen trunk + two-layer head, quality-aware loss", head, table, data, folder, Seconds(recipeReport, head.Name)));
        }

        stages.Add(new AblationStageTime("(1), (3) heads as the recipe fitted them", config.Heads.Sum(h => Seconds(recipeReport, h.Name)), $"reused from {root}"));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        foreach ((EnsembleMethod method, string title) in new[]
        {
            (EnsembleMethod.Mean, "ensemble of (1) and (3): plain average"),
            (EnsembleMethod.BestSingle, "ensemble of (1) and (3): best single head (chosen on the other folds)"),
            (EnsembleMethod.Stepwise, "ensemble of (1) and (3): stepwise meta-learner (fitted on the other folds)"),
        })
        {
            var ensembleClock = System.Diagnostics.Stopwatch.StartNew();
            AblationRow row = AblationStudy.EnsembleRow(method, title, table, data.FoldOfItem, folder);
            rows.Add(row with { Seconds = ensembleClock.Elapsed.TotalSeconds });
        }

        stages.Add(new AblationStageTime("(4) ensembles and report", clock.Elapsed.TotalSeconds, "computed here"));
        var report = new AblationReport(invocation.Command, invocation.GitCommit, MachineInfo.Describe(), data.Description, data.Items.Count,
            data.Folds.Count, stages.Sum(s => s.Seconds), rows, stages);
        AblationReportWriter.Write(folder.Root, report, config);
        log.Line($"ablation: {folder.PathOf(AblationReportWriter.MarkdownFile)}");
        return report;
    }

    /// <summary>A head's row from the run's out-of-fold column: its metrics on each held-out fold.</summary>
    private static AblationRow FromTable(int group, string title, HeadRecipe head, OutOfFoldPredictions table, RecipeDataset data,
        RecipeRunFolder folder, double seconds)
    {
        int column = table.ModelNames.ToList().IndexOf(head.Name);
        if (column < 0)
        {
            throw new RecipeException($"The recipe run's {Biq2021Recipe.OutOfFoldFile} has no column '{head.Name}'.");
        }

        double[] predicted = [.. table.Rows.Select(r => r[column])];
        var folds = new List<EvaluationMetrics>();
        for (int k = 0; k < data.Folds.Count; k++)
        {
            int[] rows = [.. Enumerable.Range(0, predicted.Length).Where(i => data.FoldOfItem[i] == k)];
            folds.Add(EvaluationMetrics.Compute([.. rows.Select(i => predicted[i])], [.. rows.Select(i => table.Mos[i])]));
        }

        string scatter = $"scatter-{head.Name}.png";
        Scatter.Write(folder.PathOf(scatter), $"{head.Name}, out-of-fold", predicted, table.Mos);
        return AblationRow.FromFolds(group, $"{title}: {head.Architecture} at {head.InputSize} px", head.Name, folds, [], scatter, seconds);
    }

    private static double Seconds(RecipeReport report, string name) =>
        report.BaseModels.FirstOrDefault(m => m.Name == name)?.Folds.Sum(f => f.Seconds) ?? double.NaN;
}
