using System.Globalization;
using System.Text;

namespace MetaQap.Modeling.Recipes;

/// <summary>Writes ablation.md (the table, per-fold figures, the command, stage wall times, the machine) and ablation.json.</summary>
public static class AblationReportWriter
{
    public const string MarkdownFile = "ablation.md";
    public const string JsonFile = "ablation.json";

    public static void Write(string directory, AblationReport report, RecipeConfig config)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(config);
        RecipeJson.Write(Path.Combine(directory, JsonFile), report);
        RecipeReportWriter.AtomicText(Path.Combine(directory, MarkdownFile), Markdown(report, config));
    }

    private static string Markdown(AblationReport r, RecipeConfig config)
    {
        var md = new StringBuilder("# Ablation\n\n");
        md.Append(CultureInfo.InvariantCulture, $"- command: `{r.Command}`\n- commit: {r.GitCommit}\n- machine: {r.Machine}\n");
        md.Append(CultureInfo.InvariantCulture, $"- {r.Dataset}\n- {r.Folds} content-disjoint folds (seed {config.Seed}); figures are mean ± sample std over the folds, each fold's model evaluated on the items it never saw\n");
        if (config.BaseModels.Count > 0)
        {
            md.Append(CultureInfo.InvariantCulture,
                $"- fine-tuning: up to {config.FineTuning.Epochs} epochs (patience {config.FineTuning.Patience}), batch {config.FineTuning.BatchSize}, lr {config.FineTuning.LearningRate:G3}; quality-aware loss {config.FineTuning.MseWeight:G3}·MSE + {config.FineTuning.SroccWeight:G3}·(1 − soft SROCC); config in `recipe.json`\n");
        }

        if (config.Heads.Count > 0)
        {
            HeadFittingRecipe h = config.HeadFitting;
            md.Append(CultureInfo.InvariantCulture,
                $"- heads on the frozen ImageNet resnet18_cntk trunk: ridge (λ by leave-one-out on the training folds) or two-layer MLP ({h.Epochs} epochs, batch {h.BatchSize}, lr {h.LearningRate:G3}, weight decay {h.WeightDecay:G3}); quality-aware loss {config.FineTuning.MseWeight:G3}·MSE + {config.FineTuning.SroccWeight:G3}·(1 − soft SROCC); config in `recipe.json`\n");
        }

        md.Append("\n| # | configuration | model | PLCC | PLCC (logistic) | SROCC | seconds | plot |\n|---|---|---|---|---|---|---|---|\n");
        foreach (AblationRow row in r.Rows)
        {
            string model = row.Model ?? (row.Kept.Count > 0 ? string.Join("; ", row.Kept.Select((k, i) =>
                string.Create(CultureInfo.InvariantCulture, $"fold {i + 1}: {string.Join(", ", k)}"))) : "all");
            md.Append(CultureInfo.InvariantCulture,
                $"| {row.Group} | {row.Configuration} | {model} | {row.Plcc.Format()} | {row.PlccLogistic.Format()} | {row.Srocc.Format()} | {(row.Seconds is { } s ? s.ToString("F0", CultureInfo.InvariantCulture) : "stage")} | [png]({row.Scatter}) |\n");
        }

        md.Append("\nPer fold (SROCC):\n\n| # | configuration | model |");
        for (int k = 1; k <= r.Folds; k++)
        {
            md.Append(CultureInfo.InvariantCulture, $" fold {k} |");
        }

        md.Append("\n|---|---|---|").Append(string.Concat(Enumerable.Repeat("---|", r.Folds))).Append('\n');
        foreach (AblationRow row in r.Rows)
        {
            md.Append(CultureInfo.InvariantCulture, $"| {row.Group} | {row.Configuration} | {row.Model ?? "ensemble"} |");
            foreach (double srocc in row.FoldSrocc)
            {
                md.Append(CultureInfo.InvariantCulture, $" {srocc:F4} |");
            }

            md.Append('\n');
        }

        md.Append("\nWall time per stage:\n\n| stage | seconds | minutes | runs |\n|---|---|---|---|\n");
        foreach (AblationStageTime stage in r.Stages)
        {
            md.Append(CultureInfo.InvariantCulture, $"| {stage.Stage} | {stage.Seconds:F0} | {stage.Seconds / 60:F1} | {stage.Source} |\n");
        }

        md.Append(CultureInfo.InvariantCulture, $"| total | {r.WallSeconds:F0} | {r.WallSeconds / 60:F1} | |\n");
        return md.ToString();
    }
}
