using System.Globalization;
using MetaQap.Modeling.Artifacts;
using MetaQap.Modeling.Evaluation;
using MetaQap.Modeling.Meta;

namespace MetaQap.Modeling.Ensembles;

/// <summary>
/// Fits the meta-learner on out-of-fold base-model predictions (<see cref="OutOfFoldPredictions"/>) and writes it
/// into an ensemble folder.
/// </summary>
public static class MetaLearnerFitting
{
    /// <summary>Stepwise OLS of MOS on the base-model columns (DESIGN.md §6).</summary>
    public static MetaLearnerFit FitStepwise(OutOfFoldPredictions predictions, StepwiseOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        double[][] rows = [.. predictions.Rows];
        double[] y = [.. predictions.Mos];
        MetaLearnerModel model = StepwiseRegression.Fit(rows, y, predictions.ModelNames, options);
        MetaLearnerEntry entry = EnsembleBuilder.Stepwise(model);
        return new MetaLearnerFit(model, entry, Evaluate(predictions, entry));
    }

    /// <summary>The plain average of every base-model column, with its agreement on the same table.</summary>
    public static MetaLearnerFit FitMean(OutOfFoldPredictions predictions)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        MetaLearnerEntry entry = EnsembleBuilder.Mean(predictions.ModelNames);
        return new MetaLearnerFit(null, entry, Evaluate(predictions, entry));
    }

    /// <summary>
    /// Replaces the meta-learner of an existing ensemble folder (manifest rewritten atomically; weights untouched) and
    /// records the out-of-fold metrics under <c>oof_*</c> keys.
    /// </summary>
    public static EnsembleManifest WriteInto(string ensembleDirectory, MetaLearnerFit fit)
    {
        ArgumentNullException.ThrowIfNull(fit);
        EnsembleManifest manifest = EnsembleArtifact.Load(ensembleDirectory);
        var metrics = new Dictionary<string, double>(manifest.Metrics, StringComparer.Ordinal);
        foreach ((string key, double value) in OutOfFoldMetrics(fit.OutOfFold))
        {
            metrics[key] = value;
        }

        EnsembleManifest updated = manifest with { MetaLearner = fit.Entry, Metrics = metrics };
        EnsembleArtifact.Save(ensembleDirectory, updated);
        return updated;
    }

    /// <summary>The finite out-of-fold figures as manifest metrics: oof_plcc, oof_plcc_logistic, oof_srocc, oof_krocc, oof_rmse.</summary>
    public static IReadOnlyDictionary<string, double> OutOfFoldMetrics(EvaluationMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        Add(result, "oof_plcc", metrics.Plcc);
        Add(result, "oof_plcc_logistic", metrics.PlccLogistic);
        Add(result, "oof_srocc", metrics.Srocc);
        Add(result, "oof_krocc", metrics.Krocc);
        Add(result, "oof_rmse", metrics.Rmse);
        return result;
    }

    /// <summary>Applies a meta-learner entry to every row (clamped to 0–100 like the predictor) and compares with MOS.</summary>
    public static EvaluationMetrics Evaluate(OutOfFoldPredictions predictions, MetaLearnerEntry entry) =>
        EvaluationMetrics.Compute(Apply(predictions, entry), predictions.Mos);

    /// <summary>The ensemble score of every row: the meta-learner entry applied and clamped to 0–100 like the predictor.</summary>
    public static double[] Apply(OutOfFoldPredictions predictions, MetaLearnerEntry entry)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(entry);
        int[] columns = new int[entry.Predictors.Count];
        for (int p = 0; p < columns.Length; p++)
        {
            columns[p] = IndexOf(predictions.ModelNames, entry.Predictors[p]);
        }

        var predicted = new double[predictions.Rows.Count];
        for (int i = 0; i < predicted.Length; i++)
        {
            double score = entry.Intercept;
            for (int p = 0; p < columns.Length; p++)
            {
                score += entry.Coefficients[p] * predictions.Rows[i][columns[p]];
            }

            predicted[i] = Math.Clamp(score, 0, 100);
        }

        return predicted;
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (int i = 0; i < names.Count; i++)
        {
            if (string.Equals(names[i], name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        throw new ArgumentException(
            string.Create(CultureInfo.InvariantCulture, $"Predictor '{name}' is not a column of the predictions ({string.Join(", ", names)})."));
    }

    private static void Add(Dictionary<string, double> metrics, string key, double value)
    {
        if (double.IsFinite(value))
        {
            metrics[key] = value;
        }
    }
}
