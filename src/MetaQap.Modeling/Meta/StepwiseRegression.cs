namespace MetaQap.Modeling.Meta;

/// <summary>
/// MetaQAP's meta-learner: stepwise linear regression that picks and weights base models.
/// </summary>
/// <remarks>
/// <para>
/// Fit it on <b>out-of-fold</b> base-model predictions (each training image scored by base models that never
/// saw it, as the trainer's k-fold loop produces). Fitting on in-sample predictions would reward the base
/// models that overfit most and make every p-value meaningless.
/// </para>
/// <para>
/// Algorithm: start from the intercept-only model. Forward: among predictors not yet included (and not
/// constant or collinear with those included), add the one with the largest partial F (smallest p-value) if
/// p &lt; <see cref="StepwiseOptions.EnterPValue"/>. After each entry, backward: while the included predictor with
/// the smallest partial F has p &gt; <see cref="StepwiseOptions.RemovePValue"/>, remove it. Repeat until nothing
/// changes or <see cref="StepwiseOptions.MaxSteps"/> entries + removals were made. Then, while some
/// |β| &lt; <see cref="StepwiseOptions.MinAbsCoefficient"/>, drop the smallest one and refit (one at a time,
/// because a refit can lift the others over the threshold). If nothing is left, the single predictor best
/// correlated with y (by |r|) is used alone (a "fallback" step in the history) rather than an intercept-only
/// model. Ties are broken by column order, so the result is deterministic.
/// </para>
/// <para>
/// Partial F for predictor j and model M without j: F = (RSS(M) − RSS(M+j)) / (RSS(M+j) / (n − |M| − 2)),
/// with p = P(F(1, n − |M| − 2) &gt; F). OLS is solved by Cholesky on the centred, unit-scaled Gram matrix with a
/// rank check (<see cref="SubsetRegression"/>): an exact duplicate of an included predictor can never enter.
/// </para>
/// </remarks>
public static class StepwiseRegression
{
    public static MetaLearnerModel Fit(double[][] rows, double[] y, IReadOnlyList<string> names, StepwiseOptions? options = null)
    {
        options ??= new StepwiseOptions();
        options.Validate();
        Validate(rows, y, names);

        var data = new SubsetRegression(rows, y);
        if (BestCorrelated(data) < 0)
        {
            throw new ArgumentException("Every predictor is constant.", nameof(rows));
        }

        // Residual sums below this are rounding noise of an exact fit; F ratios of two such values mean nothing.
        double zero = 1e-13 * data.TotalSumOfSquares;
        var included = new List<int>();
        var history = new List<StepwiseStep>();
        int moves = 0;

        while (moves < options.MaxSteps)
        {
            Candidate? entry = BestEntry(data, included, zero);
            if (entry is null || !(entry.PValue < options.EnterPValue))
            {
                break;
            }

            included.Add(entry.Column);
            // Kept in column order, so every tie below (equal F, equal |β|) goes to the earlier column.
            included.Sort();
            moves++;
            history.Add(new StepwiseStep(history.Count + 1, StepwiseStep.Enter, names[entry.Column], entry.PValue, entry.Beta));

            while (moves < options.MaxSteps)
            {
                Candidate worst = WeakestIncluded(data, included, zero);
                if (!(worst.PValue > options.RemovePValue))
                {
                    break;
                }

                included.Remove(worst.Column);
                moves++;
                history.Add(new StepwiseStep(history.Count + 1, StepwiseStep.Remove, names[worst.Column], worst.PValue, null));
            }
        }

        while (included.Count > 0)
        {
            SubsetFit fit = data.Fit(included)!;
            int smallest = 0;
            for (int i = 1; i < included.Count; i++)
            {
                smallest = Math.Abs(fit.Coefficients[i]) < Math.Abs(fit.Coefficients[smallest]) ? i : smallest;
            }

            if (!(Math.Abs(fit.Coefficients[smallest]) < options.MinAbsCoefficient))
            {
                break;
            }

            int column = included[smallest];
            double p = RemovalPValue(data, included, column, fit.ResidualSumOfSquares, zero);
            history.Add(new StepwiseStep(history.Count + 1, StepwiseStep.DropSmallBeta, names[column], p, fit.Coefficients[smallest]));
            included.RemoveAt(smallest);
        }

        if (included.Count == 0)
        {
            int best = BestCorrelated(data);
            SubsetFit single = data.Fit([best])!;
            double p = PartialPValue(data.TotalSumOfSquares, single.ResidualSumOfSquares, data.Count - 2, zero);
            history.Add(new StepwiseStep(history.Count + 1, StepwiseStep.Fallback, names[best], p, single.Coefficients[0]));
            included.Add(best);
        }

        SubsetFit final = data.Fit(included)!;
        var selected = new string[included.Count];
        for (int i = 0; i < included.Count; i++)
        {
            selected[i] = names[included[i]];
        }

        return new MetaLearnerModel(final.Intercept, selected, final.Coefficients, history);
    }

    private static Candidate? BestEntry(SubsetRegression data, List<int> included, double zero)
    {
        int df = data.Count - included.Count - 2;
        if (df < 1)
        {
            return null;
        }

        double currentRss = included.Count == 0 ? data.TotalSumOfSquares : data.Fit(included)!.ResidualSumOfSquares;
        if (currentRss <= zero)
        {
            return null;
        }

        Candidate? best = null;
        double bestF = double.NegativeInfinity;
        var trial = new List<int>(included) { -1 };
        for (int column = 0; column < data.PredictorCount; column++)
        {
            if (included.Contains(column))
            {
                continue;
            }

            trial[^1] = column;
            SubsetFit? fit = data.Fit(trial);
            if (fit is null)
            {
                continue;
            }

            double f = PartialF(currentRss, fit.ResidualSumOfSquares, df, zero);
            if (f > bestF)
            {
                bestF = f;
                best = new Candidate(column, FDistribution.Sf(f, 1, df), fit.Coefficients[^1]);
            }
        }

        return best;
    }

    private static Candidate WeakestIncluded(SubsetRegression data, List<int> included, double zero)
    {
        double rss = data.Fit(included)!.ResidualSumOfSquares;
        Candidate? weakest = null;
        double weakestF = double.PositiveInfinity;
        foreach (int column in included)
        {
            double f = RemovalF(data, included, column, rss, zero, out int df);
            if (f < weakestF || weakest is null)
            {
                weakestF = f;
                weakest = new Candidate(column, FDistribution.Sf(f, 1, df), null);
            }
        }

        return weakest!;
    }

    private static double RemovalPValue(SubsetRegression data, List<int> included, int column, double rss, double zero)
    {
        double f = RemovalF(data, included, column, rss, zero, out int df);
        return FDistribution.Sf(f, 1, df);
    }

    private static double RemovalF(SubsetRegression data, List<int> included, int column, double rss, double zero, out int df)
    {
        var reduced = new List<int>(included);
        reduced.Remove(column);
        double reducedRss = reduced.Count == 0 ? data.TotalSumOfSquares : data.Fit(reduced)!.ResidualSumOfSquares;
        df = data.Count - included.Count - 1;
        return PartialF(reducedRss, rss, df, zero);
    }

    private static double PartialPValue(double reducedRss, double fullRss, int df, double zero) =>
        FDistribution.Sf(PartialF(reducedRss, fullRss, df, zero), 1, df);

    private static double PartialF(double reducedRss, double fullRss, int df, double zero)
    {
        double gain = Math.Max(reducedRss - fullRss, 0);
        if (fullRss <= zero)
        {
            return gain > zero ? double.PositiveInfinity : 0;
        }

        return gain / (fullRss / df);
    }

    private static int BestCorrelated(SubsetRegression data)
    {
        int best = -1;
        for (int column = 0; column < data.PredictorCount; column++)
        {
            if (!data.IsConstant(column)
                && (best < 0 || Math.Abs(data.CorrelationWithTarget(column)) > Math.Abs(data.CorrelationWithTarget(best))))
            {
                best = column;
            }
        }

        return best;
    }

    private static void Validate(double[][] rows, double[] y, IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(names);
        if (rows.Length != y.Length)
        {
            throw new ArgumentException($"{rows.Length} rows but {y.Length} targets.", nameof(y));
        }

        if (y.Length < 3 || names.Count == 0)
        {
            throw new ArgumentException($"Need at least 3 rows and 1 predictor (got {y.Length} and {names.Count}).", nameof(rows));
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string name in names)
        {
            if (string.IsNullOrWhiteSpace(name) || !seen.Add(name))
            {
                throw new ArgumentException($"Predictor names must be non-empty and unique ('{name}').", nameof(names));
            }
        }

        double first = y[0];
        bool constantY = true;
        for (int i = 0; i < rows.Length; i++)
        {
            if (rows[i] is null || rows[i].Length != names.Count)
            {
                throw new ArgumentException($"Row {i} must have {names.Count} values.", nameof(rows));
            }

            if (!double.IsFinite(y[i]) || !Array.TrueForAll(rows[i], double.IsFinite))
            {
                throw new ArgumentException($"Row {i} contains a non-finite value.", nameof(rows));
            }

            constantY &= y[i] == first;
        }

        if (constantY)
        {
            throw new ArgumentException("The target is constant; there is nothing to regress.", nameof(y));
        }
    }

    private sealed record Candidate(int Column, double PValue, double? Beta);
}
