using MetaQap.Modeling.Evaluation;

namespace MetaQap.Modeling.Recipes;

/// <summary>One row of the ablation table: a configuration of one base model (or an ensemble), over the folds.</summary>
/// <param name="Group">1: from scratch, MSE; 2: from scratch, quality-aware loss; 3: + pretraining; 4: ensembles.</param>
/// <param name="Model">The base model, or null for an ensemble row.</param>
/// <param name="PlccLogistic">PLCC after the 4-parameter logistic mapping (as IQA papers report PLCC), over the folds.</param>
/// <param name="FoldPlcc">PLCC on each held-out fold, fold order.</param>
/// <param name="Kept">Ensemble rows: per fold, the base models it used (chosen or kept on the other folds).</param>
/// <param name="Scatter">File name of the row's scatter plot (out-of-fold predictions vs MOS) in the output folder.</param>
/// <param name="Seconds">Wall time of the row's fits over all folds, where it is the row's own (null: see the stage times).</param>
public sealed record AblationRow(
    int Group,
    string Configuration,
    string? Model,
    MeanStd Plcc,
    MeanStd PlccLogistic,
    MeanStd Srocc,
    IReadOnlyList<double> FoldPlcc,
    IReadOnlyList<double> FoldSrocc,
    IReadOnlyList<IReadOnlyList<string>> Kept,
    string Scatter,
    double? Seconds = null)
{
    /// <summary>A row from each held-out fold's metrics (fold order): the means ± std and the per-fold figures.</summary>
    public static AblationRow FromFolds(int group, string configuration, string? model, IReadOnlyList<EvaluationMetrics> folds,
        IReadOnlyList<IReadOnlyList<string>> kept, string scatter, double? seconds = null) =>
        new(group, configuration, model, MeanStd.Of(folds.Select(f => f.Plcc)), MeanStd.Of(folds.Select(f => f.PlccLogistic)),
            MeanStd.Of(folds.Select(f => f.Srocc)), [.. folds.Select(f => f.Plcc)], [.. folds.Select(f => f.Srocc)], kept, scatter, seconds);
}

/// <summary>Wall time of one ablation stage (sum of its work units' seconds) and where its runs came from.</summary>
public sealed record AblationStageTime(string Stage, double Seconds, string Source);

/// <summary>Contents of ablation.json; ablation.md shows the same.</summary>
public sealed record AblationReport(string Command, string GitCommit, string Machine, string Dataset, int Items, int Folds, double WallSeconds,
    IReadOnlyList<AblationRow> Rows, IReadOnlyList<AblationStageTime> Stages);
