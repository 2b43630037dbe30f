using MetaQap.Modeling.Artifacts;
using MetaQap.Modeling.Calibration;
using MetaQap.Modeling.Evaluation;
using Xunit;

namespace MetaQap.Modeling.Tests.Calibration;

public sealed class CalibrationFitTests
{
    [Fact]
    public void Learns_a_linear_rating_rule_and_estimates_it_out_of_fold()
    {
        CalibrationRows rows = Synthetic(200, noise: 0.02, seed: 1);
        CalibrationFit fit = CalibrationFit.Fit(rows, new CalibrationOptions());

        Assert.Equal(200, fit.Items);
        Assert.True(fit.CrossValidated.Srocc > 0.9, $"cross-validated SROCC {fit.CrossValidated.Srocc}");
        CalibrationRows unseen = Synthetic(300, noise: 0.02, seed: 2);
        EvaluationMetrics held = EvaluationMetrics.Compute(fit.Predict(unseen), [.. unseen.Mos.Select(m => 100 * m)]);
        Assert.True(held.Srocc > 0.9, $"held-out SROCC {held.Srocc}");
        // The out-of-fold estimate is an estimate of exactly that: close to the held-out figure.
        Assert.InRange(fit.CrossValidated.Srocc - held.Srocc, -0.05, 0.05);
    }

    [Fact]
    public void The_ensemble_form_head_plus_weighted_base_scores_is_the_fitted_prediction()
    {
        CalibrationRows rows = Synthetic(120, noise: 0.05, seed: 3);
        CalibrationFit fit = CalibrationFit.Fit(rows, new CalibrationOptions());
        MetaLearnerEntry meta = fit.MetaLearner("calibration");

        Assert.Equal(MetaLearnerMethods.CalibratedRidge, meta.Method);
        Assert.Equal(["b1", "b2", "calibration"], meta.Predictors);
        Assert.Equal(0, meta.Intercept);
        Assert.Equal(1.0, meta.Coefficients[^1]);
        double[] predicted = fit.Predict(rows);
        for (int i = 0; i < rows.Count; i++)
        {
            // What the ensemble computes: the head (linear layer, output scale 100) and the base models' 0–100 scores.
            double head = 100 * (fit.HeadBias + fit.HeadWeights.Select((w, j) => w * rows.Features[i][j]).Sum());
            double score = meta.Intercept + (meta.Coefficients[^1] * head)
                + rows.BaseScores[i].Select((s, m) => meta.Coefficients[m] * s).Sum();
            Assert.Equal(predicted[i], score, 1e-6);
        }
    }

    [Fact]
    public void A_base_score_that_predicts_the_ratings_gets_weight()
    {
        // The features are noise; the first base model is the user's rating rule up to scale.
        CalibrationRows rows = Synthetic(150, noise: 0.02, seed: 4, informativeFeatures: false);
        CalibrationFit fit = CalibrationFit.Fit(rows, new CalibrationOptions());
        MetaLearnerEntry meta = fit.MetaLearner("calibration");

        Assert.True(fit.CrossValidated.Srocc > 0.8, $"cross-validated SROCC {fit.CrossValidated.Srocc}");
        Assert.True(meta.Coefficients[0] > 0.2, $"coefficient of b1 {meta.Coefficients[0]}");
    }

    [Fact]
    public void A_base_score_that_barely_varies_gets_no_huge_coefficient()
    {
        // b2 is noise spanning a hundredth of a point (a source model that sees no difference between the images).
        // Standardised at face value, chance correlations buy it a large coefficient (−40 points per point here without
        // CalibrationFit.BaseScoreSpreadFloor), and the float32 jitter of b2 between batches (~1e-5 of its value)
        // would then move scores by hundredths of a point or more.
        var random = new Random(8);
        CalibrationRows rows = Synthetic(150, noise: 0.02, seed: 7);
        rows = rows with { BaseScores = [.. rows.BaseScores.Select(b => (double[])[b[0], 50 + (0.01 * (random.NextDouble() - 0.5))])] };
        CalibrationFit fit = CalibrationFit.Fit(rows, new CalibrationOptions());

        double coefficient = fit.MetaLearner("calibration").Coefficients[1];
        Assert.True(Math.Abs(coefficient) < 20, $"coefficient of b2 {coefficient}");
        Assert.True(fit.CrossValidated.Srocc > 0.9, $"cross-validated SROCC {fit.CrossValidated.Srocc}");
    }

    [Fact]
    public void The_base_score_weight_is_chosen_and_reported()
    {
        CalibrationRows rows = Synthetic(150, noise: 0.02, seed: 4, informativeFeatures: false);
        CalibrationFit fit = CalibrationFit.Fit(rows, new CalibrationOptions { BaseScoreWeights = [1, 100] });

        // The features are noise and b1 is the rating rule: trusting it beats shrinking it like any feature.
        Assert.Equal(100, fit.BaseScoreWeight);
        Assert.Equal(100, fit.ManifestMetrics()["calibration_base_weight"]);
        Assert.Contains("base-score weight 100", fit.Describe(), StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new CalibrationOptions { BaseScoreWeights = [0] }.Validate());
    }

    [Fact]
    public void Too_few_ratings_and_constant_ratings_are_refused_with_their_codes()
    {
        var options = new CalibrationOptions();
        CalibrationException few = Assert.Throws<CalibrationException>(() => CalibrationFit.Fit(Synthetic(CalibrationOptions.MinimumItems - 1, 0.01, 5), options));
        Assert.Equal(CalibrationErrorCode.TooFewImages, few.Code);
        Assert.Contains($"at least {CalibrationOptions.MinimumItems}", few.Message, StringComparison.Ordinal);

        CalibrationRows rows = Synthetic(60, 0.01, 6);
        CalibrationRows constant = rows with { Mos = [.. rows.Mos.Select(_ => 0.5)] };
        CalibrationException flat = Assert.Throws<CalibrationException>(() => CalibrationFit.Fit(constant, options));
        Assert.Equal(CalibrationErrorCode.ConstantScores, flat.Code);
    }

    [Fact]
    public void Options_are_validated()
    {
        Assert.Throws<ArgumentException>(() => new CalibrationOptions { MinItems = 5 }.Validate());
        Assert.Throws<ArgumentException>(() => new CalibrationOptions { ViewSide = 500 }.Validate());
        Assert.Throws<ArgumentException>(() => new CalibrationOptions { Architecture = "resnet50" }.Validate());
        Assert.Throws<ArgumentException>(() => new CalibrationOptions { Lambdas = [] }.Validate());
        new CalibrationOptions().Validate();
        Assert.Equal(10, CalibrationOptions.DefaultLambdas[0]);
        Assert.Equal(1e6, CalibrationOptions.DefaultLambdas[^1]);
    }

    /// <summary>
    /// 40 features and 2 base scores; MOS (in [0, 1]) is a fixed linear rule of the first 5 features (or, without
    /// informative features, of base model b1) plus Gaussian noise.
    /// </summary>
    private static CalibrationRows Synthetic(int n, double noise, int seed, bool informativeFeatures = true)
    {
        var random = new Random(seed);
        double Gaussian() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        var features = new float[n][];
        var scores = new double[n][];
        var mos = new double[n];
        for (int i = 0; i < n; i++)
        {
            features[i] = [.. Enumerable.Range(0, 40).Select(_ => (float)Gaussian())];
            double truth = informativeFeatures ? features[i].Take(5).Select((f, j) => f * (j + 1) * 0.02).Sum() : 0.15 * Gaussian();
            mos[i] = Math.Clamp(0.5 + truth + (noise * Gaussian()), 0, 1);
            scores[i] = [informativeFeatures ? 50 + (10 * Gaussian()) : 50 + (100 * truth), 50 + (10 * Gaussian())];
        }

        return new CalibrationRows([.. Enumerable.Range(0, n).Select(i => $"img{i}")], mos, features, ["b1", "b2"], scores);
    }
}
