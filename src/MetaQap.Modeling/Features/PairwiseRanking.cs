using MetaQap.Modeling.Runtime;
using MetaQap.Modeling.Training;
using static TorchSharp.torch;

namespace MetaQap.Modeling.Features;

/// <summary>Where a row of a ranking set comes from: its group (one pristine crop), and its distortion type and level (type -1: the pristine crop itself).</summary>
public readonly record struct RankingRow(int Group, int Type, int Level)
{
    public const int Pristine = -1;
}

/// <summary>A fitted linear ranking head in the features' own units: score = weights · x + bias.</summary>
/// <param name="Loss">Final mean logistic pair loss (without the L2 term) on the fitting pairs.</param>
public sealed record RankingFit(double[] Weights, double Bias, int Pairs, double Loss);

/// <summary>
/// A linear head that ranks distortions of the same crop, with no opinion score: within a group the pristine crop
/// ranks above each of its distorted versions, and within a distortion type the lower level above the higher.
/// Pairs across groups are never formed, so the head cannot learn which content looks good, only what damage does
/// to a given content (a regression on pseudo-labels across contents learns content as well, and measured here it
/// transfers to real photos far worse: docs/default-model.md). The fit is a pairwise logistic loss plus an L2
/// penalty on standardised columns, minimised full-batch with Adam in float64 (convex, so the start does not matter).
/// </summary>
public static class PairwiseRanking
{
    /// <summary>The ordered pairs (better, worse) among <paramref name="rows"/>, within groups only.</summary>
    public static (int[] Better, int[] Worse) Pairs(IReadOnlyList<RankingRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var better = new List<int>();
        var worse = new List<int>();
        foreach (IGrouping<int, int> group in Enumerable.Range(0, rows.Count).GroupBy(i => rows[i].Group))
        {
            int[] members = [.. group];
            foreach (int a in members)
            {
                foreach (int b in members)
                {
                    RankingRow ra = rows[a], rb = rows[b];
                    bool pristineAbove = ra.Type == RankingRow.Pristine && rb.Type != RankingRow.Pristine;
                    bool lowerLevel = ra.Type != RankingRow.Pristine && ra.Type == rb.Type && ra.Level < rb.Level;
                    if (pristineAbove || lowerLevel)
                    {
                        better.Add(a);
                        worse.Add(b);
                    }
                }
            }
        }

        return ([.. better], [.. worse]);
    }

    /// <summary>Share of <paramref name="pairs"/> that <paramref name="scores"/> order correctly (ties count half).</summary>
    public static double Accuracy(IReadOnlyList<double> scores, (int[] Better, int[] Worse) pairs)
    {
        ArgumentNullException.ThrowIfNull(scores);
        if (pairs.Better.Length == 0)
        {
            return double.NaN;
        }

        double right = 0;
        for (int p = 0; p < pairs.Better.Length; p++)
        {
            double d = scores[pairs.Better[p]] - scores[pairs.Worse[p]];
            right += d > 0 ? 1 : d == 0 ? 0.5 : 0;
        }

        return right / pairs.Better.Length;
    }

    /// <summary>Fits the head on feature rows <paramref name="x"/> (one per entry of <paramref name="rows"/>).</summary>
    /// <exception cref="ArgumentException">No pairs, or rows and features of different counts.</exception>
    public static RankingFit Fit(float[][] x, IReadOnlyList<RankingRow> rows, double l2, int steps, double learningRate = 0.05,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(rows);
        if (x.Length != rows.Count || x.Length == 0)
        {
            throw new ArgumentException($"{x.Length} feature rows for {rows.Count} ranking rows.", nameof(x));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(l2);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(steps);
        (int[] better, int[] worse) = Pairs(rows);
        if (better.Length == 0)
        {
            throw new ArgumentException("The rows form no pairs: each group needs its pristine crop and a distorted version, or two levels of a type.", nameof(rows));
        }

        int n = x.Length, d = x[0].Length;
        var flat = new double[(long)n * d];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < d; j++)
            {
                flat[((long)i * d) + j] = x[i][j];
            }
        }

        using var scope = NewDisposeScope();
        Tensor raw = tensor(flat, [n, d], ScalarType.Float64);
        Tensor mu = raw.mean([0]);
        Tensor sd = raw.std(0, unbiased: false).AtLeast(1e-6);
        Tensor z = (raw - mu) / sd;
        Tensor b = tensor(better, ScalarType.Int64), w = tensor(worse, ScalarType.Int64);
        var weights = new TorchSharp.Modules.Parameter(zeros(d, ScalarType.Float64));
        // Adam (AdamW without weight decay, torch.optim.Adam's defaults) in MetaQAP's own optimizer, whose Scalars
        // outlive their native calls.
        using var optimizer = new AdamWOptimizer([("weights", weights)], 0.9, 0.999, 1e-8, weightDecay: 0) { LearningRate = learningRate };
        double pairLoss = double.NaN;
        for (int step = 0; step < steps; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var stepScope = NewDisposeScope();
            optimizer.ZeroGrad();
            Tensor s = z.matmul(weights);
            Tensor margin = s.index_select(0, b) - s.index_select(0, w);
            // softplus(−margin) = log(e⁰ + e^−margin), without the Scalars of TorchSharp's softplus.
            Tensor logistic = zeros_like(margin).logaddexp(-margin).mean();
            Tensor loss = logistic.Plus(l2 * weights.Squared().sum());
            loss.backward();
            optimizer.Step();
            pairLoss = logistic.item<double>();
        }

        using var noGrad = no_grad();
        Tensor rawWeights = weights.detach() / sd;
        double bias = -(rawWeights * mu).sum().item<double>();
        return new RankingFit(rawWeights.data<double>().ToArray(), bias, better.Length, pairLoss);
    }
}
