namespace MetaQap.Modeling.Meta;

/// <summary>
/// The fitted meta-learner: <c>score = Intercept + Σ Coefficients[i] · prediction of Predictors[i]</c>, the
/// predictors being base models, in the column order they had at fitting. <see cref="History"/> records how
/// the stepwise search arrived there. Produced by <see cref="StepwiseRegression.Fit"/> from out-of-fold
/// base-model predictions.
/// </summary>
public sealed record MetaLearnerModel(
    double Intercept,
    IReadOnlyList<string> Predictors,
    IReadOnlyList<double> Coefficients,
    IReadOnlyList<StepwiseStep> History)
{
    /// <summary>Combines base-model predictions looked up by name; names not selected are ignored.</summary>
    public double Predict(IReadOnlyDictionary<string, double> basePredictions)
    {
        ArgumentNullException.ThrowIfNull(basePredictions);
        CheckShape();
        double score = Intercept;
        for (int i = 0; i < Predictors.Count; i++)
        {
            if (!basePredictions.TryGetValue(Predictors[i], out double value))
            {
                throw new ArgumentException($"No prediction for selected base model '{Predictors[i]}'.", nameof(basePredictions));
            }

            score += Coefficients[i] * value;
        }

        return score;
    }

    /// <summary>Combines predictions of the selected base models, given in <see cref="Predictors"/> order.</summary>
    public double Predict(ReadOnlySpan<double> selectedInPredictorOrder)
    {
        CheckShape();
        if (selectedInPredictorOrder.Length != Predictors.Count)
        {
            throw new ArgumentException(
                $"Expected {Predictors.Count} predictions, got {selectedInPredictorOrder.Length}.", nameof(selectedInPredictorOrder));
        }

        double score = Intercept;
        for (int i = 0; i < selectedInPredictorOrder.Length; i++)
        {
            score += Coefficients[i] * selectedInPredictorOrder[i];
        }

        return score;
    }

    private void CheckShape()
    {
        if (Predictors.Count != Coefficients.Count)
        {
            throw new InvalidOperationException(
                $"Model has {Predictors.Count} predictors but {Coefficients.Count} coefficients.");
        }
    }
}
