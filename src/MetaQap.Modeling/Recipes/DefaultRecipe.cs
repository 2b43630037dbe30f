using System.Globalization;
using MetaQap.Imaging.Datasets;
using MetaQap.Modeling.Artifacts;
using MetaQap.Modeling.Ensembles;
using MetaQap.Modeling.Evaluation;

namespace MetaQap.Modeling.Recipes;

/// <summary>What a finished default recipe run produced.</summary>
/// <param name="CrossValidation">Nested cross-validation of the meta-learner over content-disjoint folds of the held-out set; null when it has too few contents.</param>
public sealed record DefaultRecipeResult(string EnsembleDirectory, EnsembleManifest Manifest, MetaLearnerFit MetaLearner,
    EnsembleCrossValidation? CrossValidation, IReadOnlyDictionary<string, EvaluationMetrics> BaseModels);

/// <summary>
/// <c>metaqap recipe default</c>: the license-clean ensemble. One content split (recipe seed) of the pristine
/// content (synthetic dead leaves and optional photos): every CNN base model is pretrained, and every rank head on the
/// frozen ImageNet trunk fitted (<see cref="RankingStage"/>), on the pretraining contents only; a seeded set of
/// distorted samples of the held-out contents, pseudo-labelled on the 0–100 scale, is scored by every model; those
/// out-of-sample scores fit the stepwise meta-learner; the ensemble goes to
/// <c>&lt;out&gt;/ensemble/</c>. Every unit resumes (docs/recipes.md).
/// </summary>
public static class DefaultRecipe
{
    public const string HeldOutTableFile = "heldout-predictions.csv";

    public static DefaultRecipeResult Run(string outputDirectory, RecipeConfig config, PristineInputs pristine, RecipeInvocation invocation,
        RecipeLog log, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(pristine);
        ArgumentNullException.ThrowIfNull(invocation);
        ArgumentNullException.ThrowIfNull(log);
        config.Validate();
        if (config.Heads.FirstOrDefault(h => h.Kind != HeadKind.Rank) is { } fitted)
        {
            throw new RecipeException($"heads '{fitted.Name}' is a {fitted.Kind.ToString().ToLowerInvariant()} head, which needs opinion scores; recipe default fits rank heads only.");
        }

        PretrainingPlan plan = PretrainingPlan.Create(config, pristine, log); // checks the photos before the folder is claimed
        string? trunkWeights = config.Heads.Count == 0 ? null : ImageNet.ImageNetPackage.EnsureConverted();
        RecipeRunFolder folder = RecipeRunFolder.Claim(outputDirectory, config, new RunInputs
        {
            Command = "recipe default",
            Photos = pristine.PhotosFolder is { } photos ? Path.GetFullPath(photos) : null,
            Exclude = pristine.Exclude,
        });
        log.Line(string.Create(CultureInfo.InvariantCulture,
            $"pristine {plan.Source.Name}: {plan.Train.ContentCount} contents for pretraining, {plan.HeldOut.ContentCount} held out"));
        var weights = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (BaseModelRecipe model in config.BaseModels)
        {
            weights[model.Name] = plan.Pretrain(folder, model, log, cancellationToken).Weights;
        }

        IReadOnlyList<RankHeadOutcome> rankHeads = trunkWeights is null ? [] : RankingStage.Run(folder, config, plan, trunkWeights, log, cancellationToken);
        foreach (RankHeadOutcome head in rankHeads)
        {
            weights[head.Name] = head.WeightsFile;
        }

        Dataset set = HeldOutSet.Build(folder, config, plan, log, cancellationToken);
        string[] names = [.. config.BaseModels.Select(m => m.Name), .. config.Heads.Select(h => h.Name)];
        var columns = new List<double[]>();
        foreach (BaseModelRecipe model in config.BaseModels)
        {
            columns.Add(WorkUnit.Run(folder, folder.PathOf("heldout", model.Name), $"held-out scores {model.Name}", log,
                _ => TrainedModel.Predict(model, weights[model.Name], set.Items, config.Threads, cancellationToken)).Value);
        }

        foreach (HeadRecipe head in config.Heads)
        {
            columns.Add(WorkUnit.Run(folder, folder.PathOf("heldout", head.Name), $"held-out scores {head.Name}", log,
                _ => TrainedModel.Predict(head, weights[head.Name], set.Items, config.Threads, cancellationToken)).Value);
        }

        var table = new OutOfFoldPredictions([.. set.Items.Select(i => i.ImageId)], BaseModelPredictions.MosOnScoreScale(set.Items),
            names, [.. set.Items.Select((_, i) => columns.Select(c => c[i]).ToArray())]);
        table.Write(folder.PathOf(HeldOutTableFile));

        MetaLearnerFit stepwise = MetaLearnerFitting.FitStepwise(table);
        MetaLearnerFit fit = config.HeldOut.MetaLearner == EnsembleMethod.Mean ? MetaLearnerFitting.FitMean(table) : stepwise;
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        MetricKeys.Add(metrics, "heldout_", fit.OutOfFold);
        var baseMetrics = new Dictionary<string, EvaluationMetrics>(StringComparer.Ordinal);
        for (int m = 0; m < names.Length; m++)
        {
            baseMetrics[names[m]] = EvaluationMetrics.Compute(columns[m], table.Mos);
            MetricKeys.Add(metrics, $"heldout_{names[m]}_", baseMetrics[names[m]]);
        }

        foreach (RankHeadOutcome head in rankHeads)
        {
            metrics[$"ranking_{head.Name}_pair_accuracy_heldout"] = head.HeldOutAccuracy;
        }

        EnsembleCrossValidation? cv = CrossValidate(set, table, config, config.HeldOut.MetaLearner);
        if (cv is not null)
        {
            MetricKeys.Add(metrics, "heldout_cv_", cv);
        }

        string unused = ReferenceEquals(fit, stepwise) ? "" : string.Create(CultureInfo.InvariantCulture,
            $"; the stepwise fit (not used) keeps {string.Join(", ", stepwise.Entry.Predictors)}, SROCC {stepwise.OutOfFold.Srocc:F4}");
        log.Line(string.Create(CultureInfo.InvariantCulture,
            $"meta-learner {fit.Entry.Method}: {string.Join(", ", fit.Entry.Predictors)}; held-out SROCC {fit.OutOfFold.Srocc:F4} (in-sample), nested CV {cv?.Srocc.Format() ?? "n/a"}{unused}"));
        (string directory, EnsembleManifest manifest) = RecipeEnsemble.Build(folder, config, invocation,
            [.. config.BaseModels.Select(m => TrainedModel.Source(m, weights[m.Name])), .. config.Heads.Select(h => TrainedModel.Source(h, weights[h.Name]))],
            fit.Entry, plan.TrainingData, metrics, log);
        DefaultRecipeReport.Write(folder, config, invocation, fit, ReferenceEquals(fit, stepwise) ? null : stepwise, cv, baseMetrics, table, set, rankHeads);
        return new DefaultRecipeResult(directory, manifest, fit, cv, baseMetrics);
    }

    /// <summary>Nested CV of the stepwise meta-learner over content-disjoint folds of the held-out set, when it has 2+ contents.</summary>
    private static EnsembleCrossValidation? CrossValidate(Dataset set, OutOfFoldPredictions table, RecipeConfig config, EnsembleMethod method)
    {
        int contents = set.Items.Select(i => i.ContentGroup).Distinct(StringComparer.Ordinal).Count();
        int k = Math.Min(config.HeldOut.Folds, contents);
        if (k < 2)
        {
            return null;
        }

        IReadOnlyList<Fold> folds = ContentDisjointFolds.Split(set.Items, k, config.Seed);
        return EnsembleCrossValidation.Run(method, table, RecipeDataset.HeldOutFold(set.Items, folds));
    }
}
