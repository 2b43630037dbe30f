using MetaQap.Modeling.Features;
using MetaQap.Modeling.Tests.Training;

namespace MetaQap.Modeling.Tests.Features;

[Collection(TrainingCollection.Name)] // TorchSharp's optimiser; kept off the parallel test classes like the other fits
public sealed class PairwiseRankingTests
{
    [Fact]
    public void Pairs_put_the_pristine_crop_above_its_distortions_and_lower_levels_above_higher_within_a_group_only()
    {
        RankingRow[] rows =
        [
            new(0, RankingRow.Pristine, 0), new(0, 1, 1), new(0, 1, 3), new(0, 2, 2),
            new(1, RankingRow.Pristine, 0), new(1, 2, 1),
        ];

        (int[] better, int[] worse) = PairwiseRanking.Pairs(rows);

        (int, int)[] pairs = [.. better.Zip(worse)];
        Assert.Equal([(0, 1), (0, 2), (0, 3), (1, 2), (4, 5)], pairs.Order());
    }

    [Fact]
    public void The_fit_finds_what_damage_does_although_content_dominates_the_same_column()
    {
        // Column 0 = content brightness (spread 10) minus damage (0.5 a level); column 1 = damage-free noise. Across
        // groups column 0 says little about damage; within a group it says everything.
        (float[][] x, RankingRow[] rows) = Synthetic(groups: 60, seed: 1);
        (float[][] tx, RankingRow[] trows) = Synthetic(groups: 20, seed: 2);

        RankingFit fit = PairwiseRanking.Fit(x, rows, l2: 1e-3, steps: 200);

        double[] scores = [.. tx.Select(r => fit.Bias + (r[0] * fit.Weights[0]) + (r[1] * fit.Weights[1]))];
        Assert.True(PairwiseRanking.Accuracy(scores, PairwiseRanking.Pairs(trows)) > 0.95);
        Assert.True(fit.Weights[0] > 0);
        Assert.True(Math.Abs(fit.Weights[1]) < 0.2 * fit.Weights[0]);
        Assert.Equal(PairwiseRanking.Pairs(rows).Better.Length, fit.Pairs);
    }

    [Fact]
    public void The_fit_is_deterministic_and_the_bias_folds_the_standardisation()
    {
        (float[][] x, RankingRow[] rows) = Synthetic(groups: 10, seed: 3);

        RankingFit a = PairwiseRanking.Fit(x, rows, l2: 1e-2, steps: 50);
        RankingFit b = PairwiseRanking.Fit(x, rows, l2: 1e-2, steps: 50);

        Assert.Equal(a.Weights, b.Weights);
        Assert.Equal(a.Bias, b.Bias);
        // Standardised scores have mean zero over the fitting rows: so do the raw-unit ones.
        Assert.Equal(0, x.Average(r => a.Bias + (r[0] * a.Weights[0]) + (r[1] * a.Weights[1])), 6);
    }

    [Fact]
    public void Rows_without_pairs_and_mismatched_counts_are_refused()
    {
        float[][] x = [[1f], [2f]];

        Assert.Throws<ArgumentException>(() => PairwiseRanking.Fit(x, [new(0, RankingRow.Pristine, 0), new(1, 3, 1)], 0, 10));
        Assert.Throws<ArgumentException>(() => PairwiseRanking.Fit(x, [new(0, RankingRow.Pristine, 0)], 0, 10));
        Assert.True(double.IsNaN(PairwiseRanking.Accuracy([1.0], ([], []))));
    }

    private static (float[][] X, RankingRow[] Rows) Synthetic(int groups, int seed)
    {
        var random = new Random(seed);
        var x = new List<float[]>();
        var rows = new List<RankingRow>();
        for (int g = 0; g < groups; g++)
        {
            double content = 10 * random.NextDouble();
            rows.Add(new RankingRow(g, RankingRow.Pristine, 0));
            x.Add([(float)content, (float)random.NextDouble()]);
            for (int type = 0; type < 2; type++)
            {
                for (int level = 1; level <= 3; level++)
                {
                    rows.Add(new RankingRow(g, type, level));
                    x.Add([(float)(content - (0.5 * level * (type + 1))), (float)random.NextDouble()]);
                }
            }
        }

        return ([.. x], [.. rows]);
    }
}
