using System.Globalization;
using System.Text;
using MetaQap.Imaging.Datasets;
using MetaQap.Modeling.Ensembles;
using MetaQap.Modeling.Evaluation;

namespace MetaQap.Modeling.Recipes;

/// <summary>
/// The default recipe's report.md and scatter.png in the run folder: each base model and the ensemble on the
/// held-out synthetic set (the same figures as the manifest's heldout_* metrics).
/// </summary>
internal static class DefaultRecipeReport
{
    public static void Write(RecipeRunFolder folder, RecipeConfig config, RecipeInvocation invocation, MetaLearnerFit fit,
        MetaLearnerFit? unusedStepwise, EnsembleCrossValidation? cv, IReadOnlyDictionary<string, EvaluationMetrics> baseModels, OutOfFoldPredictions table, Dataset set,
        IReadOnlyList<RankHeadOutcome> rankHeads)
    {
        int contents = set.Items.Select(i => i.ContentGroup).Distinct(StringComparer.Ordinal).Count();
        var md = new StringBuilder();
        md.Append(CultureInfo.InvariantCulture, $"# Recipe `{config.Name}`\n\n- command: `{invocation.Command}`\n- commit: {invocation.GitCommit}\n");
        md.Append(CultureInfo.InvariantCulture, $"- seed: {config.Seed}\n- machine: {MachineInfo.Describe()}\n- wall time: {folder.Clock.TotalSeconds:F0} s\n");
        md.Append(CultureInfo.InvariantCulture,
            $"- held-out set: {table.Rows.Count} distorted samples of {contents} contents that pretraining never saw; MOS = pseudo-quality (0–100)\n\n");
        md.Append("| model | PLCC | SROCC | KROCC | RMSE |\n|---|---|---|---|---|\n");
        foreach ((string name, EvaluationMetrics m) in baseModels)
        {
            md.Append(CultureInfo.InvariantCulture, $"| {name} | {m.Plcc:F4} | {m.Srocc:F4} | {m.Krocc:F4} | {m.Rmse:F2} |\n");
        }

        EvaluationMetrics e = fit.OutOfFold;
        md.Append(CultureInfo.InvariantCulture, $"| ensemble ({fit.Entry.Method}; fitted on this set) | {e.Plcc:F4} | {e.Srocc:F4} | {e.Krocc:F4} | {e.Rmse:F2} |\n");
        if (unusedStepwise is not null)
        {
            EvaluationMetrics s = unusedStepwise.OutOfFold;
            md.Append(CultureInfo.InvariantCulture, $"| stepwise meta-learner, not shipped (fitted on this set) | {s.Plcc:F4} | {s.Srocc:F4} | {s.Krocc:F4} | {s.Rmse:F2} |\n");
        }

        if (cv is not null)
        {
            md.Append(CultureInfo.InvariantCulture,
                $"| ensemble, nested {cv.Folds.Count}-fold CV by content (mean ± std) | {cv.Plcc.Format()} | {cv.Srocc.Format()} | {cv.Krocc.Format()} | {cv.Rmse.Format(2)} |\n");
        }

        md.Append(CultureInfo.InvariantCulture,
            $"\nEnsemble score = {RecipeReportWriter.Formula(fit.Entry.Intercept, fit.Entry.Predictors, fit.Entry.Coefficients)}, clamped to 0–100.\n\n");
        if (unusedStepwise is not null)
        {
            md.Append(CultureInfo.InvariantCulture,
                $"The stepwise meta-learner (`held_out.meta_learner` = stepwise) would have been {RecipeReportWriter.Formula(unusedStepwise.Entry.Intercept, unusedStepwise.Entry.Predictors, unusedStepwise.Entry.Coefficients)}.\n\n");
        }

        if (rankHeads.Count > 0)
        {
            RankingRecipe r = config.Ranking;
            md.Append(CultureInfo.InvariantCulture,
                $"Rank heads (frozen ImageNet trunk, no opinion score): {r.CropsPerContent} crop(s) of {r.CropSize} px per pretraining photo at a shorter side of {r.ViewSide}, each pristine and under {string.Join(", ", r.Types)} at levels 1–5.\n\n");
            md.Append("| rank head | pairs | pair accuracy, fitted | pair accuracy, held-out photos |\n|---|---|---|---|\n");
            foreach (RankHeadOutcome h in rankHeads)
            {
                md.Append(CultureInfo.InvariantCulture, $"| {h.Name} | {h.Pairs} | {h.TrainAccuracy:F4} | {h.HeldOutAccuracy:F4} |\n");
            }

            md.Append('\n');
        }

        md.Append("![ensemble vs pseudo-quality on the held-out set](").Append(RecipeReportWriter.ScatterFile).Append(")\n");
        IReadOnlyList<double> shown = cv?.Predictions ?? MetaLearnerFitting.Apply(table, fit.Entry);
        Scatter.Write(folder.PathOf(RecipeReportWriter.ScatterFile), $"{config.Name}: ensemble, held-out contents", shown, table.Mos);
        RecipeReportWriter.AtomicText(folder.PathOf(RecipeReportWriter.MarkdownFile), md.ToString());
    }
}
