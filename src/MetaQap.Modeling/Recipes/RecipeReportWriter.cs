using System.Globalization;
using System.Text;
using MetaQap.Modeling.Evaluation;

namespace MetaQap.Modeling.Recipes;

/// <summary>
/// Writes a recipe's report.md, report.json and scatter.png (ensemble predictions vs MOS, both 0–100) into the run
/// folder; each file is written whole and renamed into place.
/// </summary>
public static class RecipeReportWriter
{
    public const string MarkdownFile = "report.md";
    public const string JsonFile = "report.json";
    public const string ScatterFile = "scatter.png";

    public static void Write(string directory, RecipeReport report, IReadOnlyList<double> ensemblePredictions, IReadOnlyList<double> mos, string scatterTitle)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentNullException.ThrowIfNull(report);
        RecipeJson.Write(Path.Combine(directory, JsonFile), report);
        Scatter.Write(Path.Combine(directory, ScatterFile), scatterTitle, ensemblePredictions, mos);
        AtomicText(Path.Combine(directory, MarkdownFile), Markdown(report));
    }

    internal static void AtomicText(string path, string text)
    {
        string temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            File.WriteAllText(temporary, text, new UTF8Encoding(false));
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private static string Markdown(RecipeReport r)
    {
        var md = new StringBuilder();
        md.Append(CultureInfo.InvariantCulture, $"# Recipe `{r.Recipe}`\n\n");
        md.Append(CultureInfo.InvariantCulture, $"- command: `{r.Command}`\n- commit: {r.GitCommit}\n- seed: {r.Seed}\n");
        md.Append(CultureInfo.InvariantCulture, $"- machine: {r.Machine}\n- wall time: {r.WallSeconds:F0} s ({r.WallSeconds / 60:F1} min)");
        if (r.BudgetMinutes is { } budget)
        {
            md.Append(CultureInfo.InvariantCulture, $"; budget {budget:F0} min on 2 cores: {(r.WallSeconds / 60 <= budget ? "within" : "over")}");
        }

        md.Append('\n');
        md.Append(CultureInfo.InvariantCulture, $"- evaluation: {r.Evaluation} ({r.Items} items)\n- ensemble: `{r.Ensemble}/`\n\n");
        md.Append("Training data:\n\n");
        foreach (string line in r.TrainingData)
        {
            md.Append("- ").Append(line).Append('\n');
        }

        md.Append("\n## Base models (held-out folds, mean ± std)\n\n");
        md.Append("| model | architecture | PLCC | SROCC | KROCC | RMSE | final epochs |\n|---|---|---|---|---|---|---|\n");
        foreach (BaseModelReport m in r.BaseModels)
        {
            md.Append(CultureInfo.InvariantCulture,
                $"| {m.Name} | {m.Architecture}@{m.InputSize} | {m.Plcc.Format()} | {m.Srocc.Format()} | {m.Krocc.Format()} | {m.Rmse.Format(2)} | {m.FinalEpochs} |\n");
        }

        md.Append("\n| model | fold | n | PLCC | SROCC | KROCC | RMSE | best epoch | epochs run | seconds |\n|---|---|---|---|---|---|---|---|---|---|\n");
        foreach (BaseModelReport m in r.BaseModels)
        {
            foreach (FoldReport f in m.Folds)
            {
                md.Append(CultureInfo.InvariantCulture,
                    $"| {m.Name} | {f.Fold} | {f.Metrics.N} | {f.Metrics.Plcc:F4} | {f.Metrics.Srocc:F4} | {f.Metrics.Krocc:F4} | {f.Metrics.Rmse:F2} | {f.BestEpoch} | {f.EpochsRun} | {f.Seconds:F0} |\n");
            }
        }

        MetaLearnerReport meta = r.MetaLearner;
        EnsembleReport cv = meta.NestedCrossValidation;
        md.Append("\n## Stepwise meta-learner\n\n");
        md.Append(CultureInfo.InvariantCulture, $"Ensemble score = {Formula(meta.Intercept, meta.Predictors, meta.Coefficients)}, clamped to 0–100.\n\n");
        // PLCC after the 4-parameter logistic mapping is how IQA papers (and VQEG) report PLCC; the plain one is kept.
        MeanStd cvLogistic = MeanStd.Of(cv.Folds.Select(f => f.Metrics.PlccLogistic));
        md.Append("| evaluation | PLCC | PLCC (4-parameter logistic) | SROCC | KROCC | RMSE |\n|---|---|---|---|---|---|\n");
        md.Append(CultureInfo.InvariantCulture,
            $"| nested cross-validation (fit on the other folds' out-of-fold rows), mean ± std | {cv.Plcc.Format()} | {cvLogistic.Format()} | {cv.Srocc.Format()} | {cv.Krocc.Format()} | {cv.Rmse.Format(2)} |\n");
        md.Append(CultureInfo.InvariantCulture,
            $"| in-sample (fit and evaluated on the whole out-of-fold table; optimistic) | {meta.InSample.Plcc:F4} | {meta.InSample.PlccLogistic:F4} | {meta.InSample.Srocc:F4} | {meta.InSample.Krocc:F4} | {meta.InSample.Rmse:F2} |\n\n");
        md.Append("| fold | models kept | PLCC | PLCC (logistic) | SROCC |\n|---|---|---|---|---|\n");
        foreach (EnsembleFoldReport f in cv.Folds)
        {
            md.Append(CultureInfo.InvariantCulture, $"| {f.Fold} | {string.Join(", ", f.Models)} | {f.Metrics.Plcc:F4} | {f.Metrics.PlccLogistic:F4} | {f.Metrics.Srocc:F4} |\n");
        }

        md.Append("\n![nested cross-validated ensemble predictions vs MOS](").Append(ScatterFile).Append(")\n");
        return md.ToString();
    }

    internal static string Formula(double intercept, IReadOnlyList<string> predictors, IReadOnlyList<double> coefficients) =>
        string.Create(CultureInfo.InvariantCulture, $"{intercept:G5}") + string.Concat(predictors.Select((p, i) =>
            string.Create(CultureInfo.InvariantCulture, $" + {coefficients[i]:G5}·{p}")));
}
