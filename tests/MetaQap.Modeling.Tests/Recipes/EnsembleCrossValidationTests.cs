using MetaQap.Modeling.Ensembles;
using MetaQap.Modeling.Evaluation;
using MetaQap.Modeling.Recipes;

namespace MetaQap.Modeling.Tests.Recipes;

public sealed class EnsembleCrossValidationTests
{
    private const int Rows = 90;
    private const int Folds = 3;

    [Fact]
    public void Each_fold_is_scored_by_a_meta_learner_fitted_without_it()
    {
        (OutOfFoldPredictions table, int[] fold) = Table(seed: 1);

        EnsembleCrossValidation cv = EnsembleCrossValidation.Run(EnsembleMethod.Stepwise, table, fold);

        Assert.Equal(Folds, cv.Folds.Count);
        for (int k = 0; k < Folds; k++)
        {
            int[] others = [.. Enumerable.Range(0, Rows).Where(i => fold[i] != k)];
            int[] mine = [.. Enumerable.Range(0, Rows).Where(i => fold[i] == k)];
            MetaLearnerFit expected = MetaLearnerFitting.FitStepwise(EnsembleCrossValidation.Subset(table, others));
            Assert.Equal(expected.Entry.Predictors, cv.Folds[k].Entry.Predictors);
            Assert.Equal(expected.Entry.Intercept, cv.Folds[k].Entry.Intercept, 12);
            double[] scores = MetaLearnerFitting.Apply(EnsembleCrossValidation.Subset(table, mine), expected.Entry);
            Assert.Equal(scores, mine.Select(i => cv.Predictions[i]));
            Assert.Equal(EvaluationMetrics.Compute(scores, [.. mine.Select(i => table.Mos[i])]).Srocc, cv.Folds[k].Metrics.Srocc, 12);
        }
    }

    [Fact]
    public void Changing_a_folds_own_mos_does_not_change_the_meta_learner_that_scores_it()
    {
        (OutOfFoldPredictions table, int[] fold) = Table(seed: 2);
        var shuffledMos = table.Mos.ToArray();
        for (int i = 0; i < Rows; i++)
        {
            if (fold[i] == 0)
            {
                shuffledMos[i] = 100 - shuffledMos[i];
            }
        }

        EnsembleFold before = EnsembleCrossValidation.Run(EnsembleMethod.Stepwise, table, fold).Folds[0];
        EnsembleFold after = EnsembleCrossValidation.Run(EnsembleMethod.Stepwise, table with { Mos = shuffledMos }, fold).Folds[0];

        Assert.Equal(before.Entry.Coefficients, after.Entry.Coefficients);
        Assert.True(after.Metrics.Srocc < 0, $"fold 0 SROCC after reversing its MOS: {after.Metrics.Srocc}");
    }

    [Fact]
    public void Best_single_picks_the_informative_model_and_the_mean_uses_every_model()
    {
        (OutOfFoldPredictions table, int[] fold) = Table(seed: 3);

        EnsembleCrossValidation best = EnsembleCrossValidation.Run(EnsembleMethod.BestSingle, table, fold);
        EnsembleCrossValidation mean = EnsembleCrossValidation.Run(EnsembleMethod.Mean, table, fold);

        Assert.All(best.Folds, f => Assert.Equal(["good"], f.Entry.Predictors));
        Assert.All(best.Folds, f => Assert.Equal([1.0], f.Entry.Coefficients));
        Assert.All(mean.Folds, f => Assert.Equal(["good", "weak", "noise"], f.Entry.Predictors));
        Assert.True(best.Srocc.Mean > mean.Srocc.Mean, $"best single {best.Srocc.Mean}, mean {mean.Srocc.Mean}");
    }

    [Fact]
    public void Stepwise_keeps_the_informative_model_and_beats_the_plain_average()
    {
        (OutOfFoldPredictions table, int[] fold) = Table(seed: 4);

        EnsembleCrossValidation stepwise = EnsembleCrossValidation.Run(EnsembleMethod.Stepwise, table, fold);
        EnsembleCrossValidation mean = EnsembleCrossValidation.Run(EnsembleMethod.Mean, table, fold);

        Assert.All(stepwise.Folds, f => Assert.Contains("good", f.Entry.Predictors));
        Assert.True(stepwise.Plcc.Mean > mean.Plcc.Mean, $"stepwise {stepwise.Plcc.Mean}, mean {mean.Plcc.Mean}");
        Assert.Equal(Folds, stepwise.Srocc.Count);
    }

    [Fact]
    public void Fold_numbers_must_match_the_rows()
    {
        (OutOfFoldPredictions table, _) = Table(seed: 5);

        Assert.Throws<ArgumentException>(() => EnsembleCrossValidation.Run(EnsembleMethod.Mean, table, [0, 1]));
    }

    /// <summary>
    /// MOS uniform on 10..90; "good" = MOS + small noise, "weak" = 0.5·MOS + large noise + 20, "noise" = pure noise,
    /// all on the 0–100 scale; rows dealt to folds in turn.
    /// </summary>
    private static (OutOfFoldPredictions Table, int[] Fold) Table(int seed)
    {
        var random = new Random(seed);
        var mos = new double[Rows];
        var rows = new double[Rows][];
        for (int i = 0; i < Rows; i++)
        {
            mos[i] = 10 + (80 * random.NextDouble());
            rows[i] = [mos[i] + (4 * Normal(random)), 20 + (0.5 * mos[i]) + (15 * Normal(random)), 50 + (15 * Normal(random))];
        }

        int[] fold = [.. Enumerable.Range(0, Rows).Select(i => i % Folds)];
        return (new OutOfFoldPredictions([.. Enumerable.Range(0, Rows).Select(i => $"{i}.png")], mos, ["good", "weak", "noise"], rows), fold);
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
