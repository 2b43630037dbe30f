using System.Globalization;
using MetaQap.Modeling.Artifacts;
using MetaQap.Modeling.Evaluation;
using MetaQap.Modeling.Features;

namespace MetaQap.Modeling.Calibration;

/// <summary>
/// The calibration model: one ridge regression of the user's MOS on the trunk features and the source ensemble's
/// base scores together, on standardised columns weighted so that each of the trunk's map statistics (a map's channel
/// means, or its standard deviations) counts the same in total whatever its channel count, with λ and the weight of
/// the base scores (<see cref="CalibrationOptions.BaseScoreWeights"/>) chosen by leave-one-out error on the rated
/// images. A score is 100 × (w·features + Σ vᵢ·baseᵢ + b), which an ensemble holds exactly: a linear head on the
/// trunk (w, b; output scale 100) beside the source's base models, combined with coefficients 1 and 100·vᵢ. A k-fold cross-validation over the same images, each fold choosing
/// its own λ, estimates how the calibration ranks images it has not seen.
/// </summary>
public sealed class CalibrationFit
{
    /// <summary>Score points (0–100) below which a base score's standard deviation over the rated images is not trusted.</summary>
    public const double BaseScoreSpreadFloor = 1.0;

    private CalibrationFit(RidgeModel ridge, double baseScoreWeight, int featureCount, IReadOnlyList<string> baseModels, EvaluationMetrics crossValidated, int items)
    {
        Ridge = ridge;
        BaseScoreWeight = baseScoreWeight;
        FeatureCount = featureCount;
        BaseModels = baseModels;
        CrossValidated = crossValidated;
        Items = items;
    }

    public RidgeModel Ridge { get; }

    public int FeatureCount { get; }

    public IReadOnlyList<string> BaseModels { get; }

    /// <summary>Metrics of the out-of-fold predictions (0–100 scale) over all rated images.</summary>
    public EvaluationMetrics CrossValidated { get; }

    public int Items { get; }

    public double Lambda => Ridge.Lambda;

    /// <summary>The base scores' column weight the fit chose among <see cref="CalibrationOptions.BaseScoreWeights"/>.</summary>
    public double BaseScoreWeight { get; }

    /// <summary>The trunk features' weights and the bias: the calibrated head's linear layer ([0, 1] MOS units).</summary>
    public double[] HeadWeights => Ridge.Weights[..FeatureCount];

    public double HeadBias => Ridge.Bias;

    /// <exception cref="CalibrationException">Too few rows, or constant MOS.</exception>
    public static CalibrationFit Fit(CalibrationRows rows, CalibrationOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        CheckRatings(rows.Mos, options);
        float[][] x = Joint(rows);
        IReadOnlyList<double[]> scales = ColumnScales(rows, options);
        int n = rows.Count;
        int[] fold = Folds(n, options.CrossValidationFolds, options.Seed);
        var outOfFold = new double[n];
        for (int k = 0; k < options.CrossValidationFolds; k++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int[] train = [.. Enumerable.Range(0, n).Where(i => fold[i] != k)];
            RidgeModel model = RidgeRegression.FitLeaveOneOut([.. train.Select(i => x[i])], [.. train.Select(i => rows.Mos[i])], options.Lambdas, scales);
            foreach (int i in Enumerable.Range(0, n).Where(i => fold[i] == k))
            {
                outOfFold[i] = 100 * model.Predict(x[i]);
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        RidgeModel final = RidgeRegression.FitLeaveOneOut(x, rows.Mos, options.Lambdas, scales);
        EvaluationMetrics metrics = EvaluationMetrics.Compute(outOfFold, [.. rows.Mos.Select(m => 100 * m)]);
        return new CalibrationFit(final, options.BaseScoreWeights[final.ScaleChoice], rows.Features[0].Length, rows.BaseModels, metrics, n);
    }

    /// <summary>The calibrated score (0–100, not clamped) of each row.</summary>
    public double[] Predict(CalibrationRows rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (!rows.BaseModels.SequenceEqual(BaseModels, StringComparer.Ordinal) || rows.Features.Any(f => f.Length != FeatureCount))
        {
            throw new ArgumentException("The rows were measured with other base models or features than the fit.", nameof(rows));
        }

        return [.. Joint(rows).Select(row => 100 * Ridge.Predict(row))];
    }

    /// <summary>The new ensemble's meta-learner: every source base model at 100·vᵢ, the calibrated head at 1, no intercept.</summary>
    public MetaLearnerEntry MetaLearner(string headName) => new()
    {
        Method = MetaLearnerMethods.CalibratedRidge,
        Intercept = 0,
        Predictors = [.. BaseModels, headName],
        Coefficients = [.. Ridge.Weights[FeatureCount..].Select(v => 100 * v), 1.0],
    };

    /// <summary>Metric entries for the manifest (docs/model-artifact.md).</summary>
    public IReadOnlyDictionary<string, double> ManifestMetrics() => new Dictionary<string, double>(StringComparer.Ordinal)
    {
        ["calibration_items"] = Items,
        ["calibration_lambda"] = Lambda,
        ["calibration_base_weight"] = BaseScoreWeight,
        ["calibration_cv_srocc"] = CrossValidated.Srocc,
        ["calibration_cv_plcc"] = CrossValidated.Plcc,
        ["calibration_cv_rmse"] = CrossValidated.Rmse,
    };

    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{Items} rated images, λ {Lambda:G3}, base-score weight {BaseScoreWeight:G3}, cross-validated SROCC {CrossValidated.Srocc:F4}, PLCC {CrossValidated.Plcc:F4}, RMSE {CrossValidated.Rmse:F2}");

    /// <summary>Refuses too few ratings or ratings that are all equal, before anything is measured.</summary>
    /// <exception cref="CalibrationException">With <see cref="CalibrationErrorCode.TooFewImages"/> or <see cref="CalibrationErrorCode.ConstantScores"/>.</exception>
    public static void CheckRatings(IReadOnlyList<double> mos, CalibrationOptions options)
    {
        ArgumentNullException.ThrowIfNull(mos);
        ArgumentNullException.ThrowIfNull(options);
        if (mos.Count < options.MinItems)
        {
            throw new CalibrationException(CalibrationErrorCode.TooFewImages, string.Create(CultureInfo.InvariantCulture,
                $"Calibration needs at least {options.MinItems} rated images; the dataset has {mos.Count}. About 200 give most of the gain (docs/calibration.md)."));
        }

        double mean = mos.Average();
        if (mos.All(m => Math.Abs(m - mean) < 1e-9))
        {
            throw new CalibrationException(CalibrationErrorCode.ConstantScores, string.Create(CultureInfo.InvariantCulture,
                $"All {mos.Count} rated images have the same MOS ({mean:G4}): there is no ranking to learn. Rate images of visibly different quality."));
        }
    }

    /// <summary>
    /// One candidate per base-score weight: each feature column 1/√(size of its statistic), rescaled to a mean square
    /// of 1 over the features so the λ grid keeps its meaning, then the base-score columns at the weight. Without the
    /// first part the 512-channel late blocks, six statistics of 512 columns, outweigh the stem and early blocks,
    /// which carry much of what ranks authentic photos (biq2021-dev at N = 200: 0.713 → 0.718; with the chosen
    /// base-score weight 0.722; docs/calibration.md). Rows whose width is not the architecture's (features of a
    /// test's own) weigh their columns evenly.
    /// <para>
    /// A base score that varies by less than <see cref="BaseScoreSpreadFloor"/> over the rated images is standardised
    /// as if it varied by that much: otherwise standardising blows a nearly constant score up into a column the
    /// weight makes cheap, and the fit buys it with a huge coefficient that its float rounding then turns into
    /// visible score noise.
    /// </para>
    /// </summary>
    private static IReadOnlyList<double[]> ColumnScales(CalibrationRows rows, CalibrationOptions options)
    {
        int[] sizes = BlockFeatureLayout.StatisticSizes(options.Architecture);
        int features = rows.Features[0].Length;
        double[] featureScale = sizes.Length == features ? [.. sizes.Select(c => 1 / Math.Sqrt(c))] : [.. Enumerable.Repeat(1.0, features)];
        double rms = Math.Sqrt(featureScale.Average(v => v * v));
        double[] damping = [.. Enumerable.Range(0, rows.BaseModels.Count).Select(m => Math.Min(1, Spread(rows.BaseScores.Select(b => b[m])) / BaseScoreSpreadFloor))];
        return [.. options.BaseScoreWeights.Select(w => (double[])[.. featureScale.Select(v => v / rms), .. damping.Select(d => w * d)])];
    }

    private static double Spread(IEnumerable<double> values)
    {
        double[] v = [.. values];
        double mean = v.Average();
        // A constant column (spread 0) stays harmless: the ridge gives it no weight whatever its scale.
        return Math.Max(Math.Sqrt(v.Average(x => (x - mean) * (x - mean))), 1e-9);
    }

    private static float[][] Joint(CalibrationRows rows) =>
        [.. Enumerable.Range(0, rows.Count).Select(i => (float[])[.. rows.Features[i], .. rows.BaseScores[i].Select(s => (float)s)])];

    /// <summary>Items dealt round-robin into k folds after a seeded shuffle.</summary>
    private static int[] Folds(int n, int k, int seed)
    {
        int[] order = [.. Enumerable.Range(0, n)];
        new Random(seed).Shuffle(order);
        var fold = new int[n];
        for (int i = 0; i < n; i++)
        {
            fold[order[i]] = i % k;
        }

        return fold;
    }
}
