using MetaQap.Modeling.Evaluation;

namespace MetaQap.Modeling.Recipes;

/// <summary>One fold of a base model in report.json (fold numbers from 1).</summary>
public sealed record FoldReport(int Fold, EvaluationMetrics Metrics, int BestEpoch, double BestValidationSrocc, int EpochsRun, double Seconds)
{
    internal static FoldReport From(UnitResult<FoldOutcome> unit) =>
        new(unit.Value.Fold + 1, unit.Value.Metrics, unit.Value.BestEpoch + 1, unit.Value.BestValidationSrocc, unit.Value.EpochsRun, unit.Seconds);
}

/// <summary>A base model's held-out fold metrics, mean ± std over the folds.</summary>
/// <param name="FinalEpochs">Epochs of its final fit on all items (0 where there is none).</param>
public sealed record BaseModelReport(string Name, string Architecture, int InputSize, IReadOnlyList<FoldReport> Folds, MeanStd Plcc, MeanStd Srocc,
    MeanStd Krocc, MeanStd Rmse, int FinalEpochs)
{
    internal static BaseModelReport From(BaseModelRecipe model, IReadOnlyList<UnitResult<FoldOutcome>> units, int finalEpochs) => new(
        model.Name, model.Architecture, model.InputSize, [.. units.Select(FoldReport.From)],
        MeanStd.Of(units.Select(u => u.Value.Metrics.Plcc)), MeanStd.Of(units.Select(u => u.Value.Metrics.Srocc)),
        MeanStd.Of(units.Select(u => u.Value.Metrics.Krocc)), MeanStd.Of(units.Select(u => u.Value.Metrics.Rmse)), finalEpochs);

    internal static BaseModelReport From(HeadRecipe head, IReadOnlyList<UnitResult<FoldOutcome>> units) => new(
        head.Name, head.Architecture, head.InputSize, [.. units.Select(FoldReport.From)],
        MeanStd.Of(units.Select(u => u.Value.Metrics.Plcc)), MeanStd.Of(units.Select(u => u.Value.Metrics.Srocc)),
        MeanStd.Of(units.Select(u => u.Value.Metrics.Krocc)), MeanStd.Of(units.Select(u => u.Value.Metrics.Rmse)), 0);
}

/// <summary>One fold of a cross-validated ensemble method in a report: the models it kept and its metrics.</summary>
public sealed record EnsembleFoldReport(int Fold, IReadOnlyList<string> Models, IReadOnlyList<double> Coefficients, double Intercept, EvaluationMetrics Metrics);

/// <summary>An ensemble method under nested cross-validation, mean ± std over folds.</summary>
public sealed record EnsembleReport(EnsembleMethod Method, MeanStd Plcc, MeanStd Srocc, MeanStd Krocc, MeanStd Rmse, IReadOnlyList<EnsembleFoldReport> Folds)
{
    public static EnsembleReport From(EnsembleCrossValidation cv)
    {
        ArgumentNullException.ThrowIfNull(cv);
        return new(cv.Method, cv.Plcc, cv.Srocc, cv.Krocc, cv.Rmse,
            [.. cv.Folds.Select(f => new EnsembleFoldReport(f.Fold + 1, f.Entry.Predictors, f.Entry.Coefficients, f.Entry.Intercept, f.Metrics))]);
    }
}

/// <summary>The final stepwise meta-learner: fitted on the whole table (in-sample figures) and its nested cross-validation.</summary>
public sealed record MetaLearnerReport(double Intercept, IReadOnlyList<string> Predictors, IReadOnlyList<double> Coefficients, EvaluationMetrics InSample,
    EnsembleReport NestedCrossValidation);

/// <summary>Contents of a recipe's report.json.</summary>
/// <param name="Evaluation">What the metrics were measured on (held-out folds, or the held-out synthetic set).</param>
public sealed record RecipeReport(
    string Recipe,
    string Command,
    string GitCommit,
    int Seed,
    string Machine,
    double WallSeconds,
    string Evaluation,
    int Items,
    IReadOnlyList<string> TrainingData,
    IReadOnlyList<BaseModelReport> BaseModels,
    MetaLearnerReport MetaLearner,
    string Ensemble,
    double? BudgetMinutes = null);
