using MetaQap.Modeling.Artifacts;
using MetaQap.Modeling.Ensembles;
using MetaQap.Modeling.Evaluation;
using MetaQap.Modeling.Meta;

namespace MetaQap.Modeling.Recipes;

/// <summary>One fold of a cross-validated ensemble: what was fitted (or chosen) on the other folds, and its metrics on this one.</summary>
/// <param name="Entry">The meta-learner the other folds gave; its predictors are the models kept for this fold.</param>
public sealed record EnsembleFold(int Fold, MetaLearnerEntry Entry, EvaluationMetrics Metrics);

/// <summary>
/// Nested cross-validation of an ensemble method on an out-of-fold table: for fold k, the method is fitted (or its
/// model chosen) on the rows of the other folds only and evaluated on fold k's rows, so the meta-learner's own
/// fitting is held out too, not just the base models'. Figures are on the 0–100 scale.
/// </summary>
/// <param name="Predictions">Every row's ensemble score from the fit that did not see its fold (table order).</param>
public sealed record EnsembleCrossValidation(EnsembleMethod Method, IReadOnlyList<EnsembleFold> Folds, IReadOnlyList<double> Predictions)
{
    public MeanStd Plcc => MeanStd.Of(Folds.Select(f => f.Metrics.Plcc));

    public MeanStd Srocc => MeanStd.Of(Folds.Select(f => f.Metrics.Srocc));

    public MeanStd Krocc => MeanStd.Of(Folds.Select(f => f.Metrics.Krocc));

    public MeanStd Rmse => MeanStd.Of(Folds.Select(f => f.Metrics.Rmse));

    /// <param name="foldOfRow">The fold (0 .. K − 1) in which each row of <paramref name="table"/> was held out.</param>
    public static EnsembleCrossValidation Run(EnsembleMethod method, OutOfFoldPredictions table, IReadOnlyList<int> foldOfRow,
        StepwiseOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(foldOfRow);
        if (foldOfRow.Count != table.Rows.Count)
        {
            throw new ArgumentException($"{foldOfRow.Count} fold numbers for {table.Rows.Count} rows.", nameof(foldOfRow));
        }

        int folds = foldOfRow.Max() + 1;
        var results = new List<EnsembleFold>();
        var predictions = new double[table.Rows.Count];
        for (int k = 0; k < folds; k++)
        {
            int[] train = [.. Enumerable.Range(0, foldOfRow.Count).Where(i => foldOfRow[i] != k)];
            int[] test = [.. Enumerable.Range(0, foldOfRow.Count).Where(i => foldOfRow[i] == k)];
            if (test.Length == 0)
            {
                continue;
            }

            OutOfFoldPredictions fitRows = Subset(table, train);
            MetaLearnerEntry entry = method switch
            {
                EnsembleMethod.Mean => EnsembleBuilder.Mean(table.ModelNames),
                EnsembleMethod.BestSingle => EnsembleBuilder.Mean([BestSingle(fitRows)]),
                EnsembleMethod.Stepwise => MetaLearnerFitting.FitStepwise(fitRows, options).Entry,
                _ => throw new ArgumentOutOfRangeException(nameof(method), method, "Unknown ensemble method."),
            };
            OutOfFoldPredictions testRows = Subset(table, test);
            double[] scores = MetaLearnerFitting.Apply(testRows, entry);
            for (int i = 0; i < test.Length; i++)
            {
                predictions[test[i]] = scores[i];
            }

            results.Add(new EnsembleFold(k, entry, EvaluationMetrics.Compute(scores, testRows.Mos)));
        }

        return new EnsembleCrossValidation(method, results, predictions);
    }

    /// <summary>The rows <paramref name="rows"/> of a table, in that order.</summary>
    public static OutOfFoldPredictions Subset(OutOfFoldPredictions table, IReadOnlyList<int> rows)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(rows);
        return new OutOfFoldPredictions([.. rows.Select(i => table.ImageIds[i])], [.. rows.Select(i => table.Mos[i])], table.ModelNames,
            [.. rows.Select(i => table.Rows[i])]);
    }

    /// <summary>The column with the highest SROCC against MOS (the first on ties; NaN never wins).</summary>
    private static string BestSingle(OutOfFoldPredictions rows)
    {
        double[] mos = [.. rows.Mos];
        int best = 0;
        double bestSrocc = double.NegativeInfinity;
        for (int m = 0; m < rows.ModelNames.Count; m++)
        {
            double srocc = Correlation.Srocc([.. rows.Rows.Select(r => r[m])], mos);
            if (srocc > bestSrocc)
            {
                best = m;
                bestSrocc = srocc;
            }
        }

        return rows.ModelNames[best];
    }
}
