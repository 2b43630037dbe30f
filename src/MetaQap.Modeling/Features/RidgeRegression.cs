using static TorchSharp.torch;

namespace MetaQap.Modeling.Features;

/// <summary>
/// Ridge regression on standardised features, min ‖y − ȳ − Zβ‖² + λ‖β‖² with Z the columns scaled to mean 0 and
/// std 1 on the training rows. One eigendecomposition (of ZᵀZ, or of ZZᵀ when there are fewer rows than columns)
/// gives β for every λ of a grid at once, so choosing λ by inner cross-validation costs one decomposition per
/// inner fold. Float64 throughout. The fitted model is a plain linear map of the raw features
/// (<see cref="RidgeModel.Weights"/>, <see cref="RidgeModel.Bias"/>): the standardisation is folded in, which is
/// what a linear quality head holds.
/// </summary>
public static class RidgeRegression
{
    /// <summary>The λ grid the recipes search: half decades from 10 to 10⁵ (features are standardised, so λ is in units of rows).</summary>
    public static IReadOnlyList<double> DefaultLambdas { get; } = [10, 31.6, 100, 316, 1000, 3162, 10000, 31623, 100000];

    /// <summary>One model per λ, fitted on <paramref name="x"/> [N, D] (rows) and <paramref name="y"/>.</summary>
    public static RidgeModel[] Fit(float[][] x, double[] y, IReadOnlyList<double> lambdas)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(lambdas);
        if (x.Length != y.Length || x.Length < 2)
        {
            throw new ArgumentException($"Ridge needs at least 2 rows and one target per row ({x.Length} rows, {y.Length} targets).", nameof(y));
        }

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor raw = Matrix(x);
        Tensor mean = raw.mean([0]);
        // A constant column gets std 1: it standardises to 0 and its weight to 0.
        Tensor std = raw.std(0, unbiased: false);
        std = where(std.gt(1e-12), std, ones_like(std));
        Tensor z = (raw - mean) / std;
        double yMean = y.Average();
        Tensor target = tensor(y.Select(v => v - yMean).ToArray(), float64);
        var models = new RidgeModel[lambdas.Count];
        if (z.shape[1] <= z.shape[0])
        {
            (Tensor values, Tensor vectors) = linalg.eigh(z.T.matmul(z));
            Tensor projected = vectors.T.matmul(z.T.matmul(target));
            for (int i = 0; i < lambdas.Count; i++)
            {
                models[i] = Model(vectors.matmul(projected / (values + lambdas[i])), mean, std, yMean, lambdas[i]);
            }
        }
        else
        {
            (Tensor values, Tensor vectors) = linalg.eigh(z.matmul(z.T));
            Tensor projected = vectors.T.matmul(target);
            for (int i = 0; i < lambdas.Count; i++)
            {
                models[i] = Model(z.T.matmul(vectors.matmul(projected / (values + lambdas[i]))), mean, std, yMean, lambdas[i]);
            }
        }

        return models;
    }

    /// <summary>
    /// The λ of <paramref name="lambdas"/> with the lowest mean squared error over an inner <paramref name="folds"/>-fold
    /// split of the rows (seeded), then the model refitted on all rows with it.
    /// </summary>
    public static RidgeModel FitCrossValidated(float[][] x, double[] y, IReadOnlyList<double> lambdas, int folds, int seed)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        ArgumentOutOfRangeException.ThrowIfLessThan(folds, 2);
        int[] fold = InnerFolds(x.Length, folds, seed);
        var squaredError = new double[lambdas.Count];
        for (int f = 0; f < folds; f++)
        {
            int[] train = [.. Enumerable.Range(0, x.Length).Where(i => fold[i] != f)];
            int[] test = [.. Enumerable.Range(0, x.Length).Where(i => fold[i] == f)];
            RidgeModel[] models = Fit([.. train.Select(i => x[i])], [.. train.Select(i => y[i])], lambdas);
            for (int l = 0; l < models.Length; l++)
            {
                foreach (int i in test)
                {
                    double e = models[l].Predict(x[i]) - y[i];
                    squaredError[l] += e * e;
                }
            }
        }

        int best = Array.IndexOf(squaredError, squaredError.Min());
        return Fit(x, y, [lambdas[best]])[0];
    }

    private static int[] InnerFolds(int n, int folds, int seed)
    {
        int[] order = [.. Enumerable.Range(0, n)];
        new Random(seed).Shuffle(order);
        var fold = new int[n];
        for (int i = 0; i < n; i++)
        {
            fold[order[i]] = i % folds;
        }

        return fold;
    }

    private static RidgeModel Model(Tensor beta, Tensor mean, Tensor std, double yMean, double lambda)
    {
        Tensor weights = beta / std;
        double bias = yMean - weights.dot(mean).item<double>();
        return new RidgeModel(weights.to(float64).data<double>().ToArray(), bias, lambda);
    }

    private static Tensor Matrix(float[][] rows)
    {
        int d = rows[0].Length;
        var flat = new double[rows.Length * d];
        for (int i = 0; i < rows.Length; i++)
        {
            if (rows[i].Length != d)
            {
                throw new ArgumentException($"Row {i} has {rows[i].Length} features, row 0 has {d}.", nameof(rows));
            }

            for (int j = 0; j < d; j++)
            {
                flat[(i * d) + j] = rows[i][j];
            }
        }

        return tensor(flat, [rows.Length, d], float64);
    }
}

/// <summary>A fitted linear map of raw features: ŷ = w·x + b.</summary>
public sealed record RidgeModel(double[] Weights, double Bias, double Lambda)
{
    public double Predict(ReadOnlySpan<float> features)
    {
        if (features.Length != Weights.Length)
        {
            throw new ArgumentException($"{features.Length} features for a model of {Weights.Length}.", nameof(features));
        }

        double sum = Bias;
        for (int j = 0; j < Weights.Length; j++)
        {
            sum += Weights[j] * features[j];
        }

        return sum;
    }
}
