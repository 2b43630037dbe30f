using MetaQap.Modeling.Runtime;
using static TorchSharp.torch;

namespace MetaQap.Modeling.Features;

/// <summary>
/// Ridge regression on standardised features, min ‖y − ȳ − Zβ‖² + λ‖β‖² with Z the columns scaled to mean 0 and
/// std 1 on the training rows. One eigendecomposition (of ZᵀZ, or of ZZᵀ when there are fewer rows than columns)
/// gives the leave-one-out error of every λ of a grid (<see cref="FitLeaveOneOut"/>) and β for the chosen one, so
/// choosing λ costs no refit. Float64 throughout. The fitted model is a plain linear map of the raw features
/// (<see cref="RidgeModel.Weights"/>, <see cref="RidgeModel.Bias"/>): the standardisation is folded in, which is
/// what a linear quality head holds.
/// </summary>
public static class RidgeRegression
{
    /// <summary>The λ grid the recipes search: half decades from 10 to 10⁵ (features are standardised, so λ is in units of rows).</summary>
    public static IReadOnlyList<double> DefaultLambdas { get; } = [10, 31.6, 100, 316, 1000, 3162, 10000, 31623, 100000];

    /// <summary>
    /// The λ of <paramref name="lambdas"/> with the lowest leave-one-out squared error on the rows, and the model
    /// fitted on all of them with it. Leave-one-out needs no refits: with the hat matrix H of one eigendecomposition,
    /// the residual of row i left out is (yᵢ − ŷᵢ) / (1 − Hᵢᵢ − 1/N) (the 1/N is the fitted intercept's leverage). The
    /// standardisation is that of all the rows, as in the usual generalised cross-validation; only training rows
    /// are ever passed here, so held-out rows never choose λ.
    /// </summary>
    public static RidgeModel FitLeaveOneOut(float[][] x, double[] y, IReadOnlyList<double> lambdas) =>
        FitLeaveOneOut(x, y, lambdas, columnScales: null);

    /// <summary>
    /// <see cref="FitLeaveOneOut(float[][], double[], IReadOnlyList{double})"/> over candidate column scales as well:
    /// with scale vector s the standardised columns are multiplied by s before the fit (column j's penalty becomes
    /// λ/sⱼ²), and the (s, λ) pair with the lowest leave-one-out error wins (<see cref="RidgeModel.ScaleChoice"/>).
    /// Null: one candidate of all ones.
    /// </summary>
    public static RidgeModel FitLeaveOneOut(float[][] x, double[] y, IReadOnlyList<double> lambdas, IReadOnlyList<double[]>? columnScales)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(lambdas);
        if (x.Length != y.Length || x.Length < 3)
        {
            throw new ArgumentException($"Ridge needs at least 3 rows and one target per row ({x.Length} rows, {y.Length} targets).", nameof(y));
        }

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        (Tensor standardised, Tensor mean, Tensor std) = Standardise(Matrix(x));
        int n = x.Length;
        double yMean = y.Average();
        Tensor target = tensor(y.Select(v => v - yMean).ToArray(), float64);
        IReadOnlyList<double[]?> candidates = columnScales is { Count: > 0 } ? [.. columnScales] : [(double[]?)null];
        (double Error, int Scale, int Lambda, Tensor Beta)? best = null;
        for (int c = 0; c < candidates.Count; c++)
        {
            // Each candidate's matrices (N × D, and D × D in the primal case) are freed before the next one's.
            using var candidateScope = NewDisposeScope();
            Tensor? scale = candidates[c] is { } values ? ScaleVector(values, standardised.shape[1]) : null;
            Tensor z = scale is null ? standardised : standardised * scale;
            (double error, int lambda, Tensor beta) = FitScaled(z, target, lambdas);
            if (best is null || error < best.Value.Error)
            {
                // β of the scaled columns is β·s in the standardised ones.
                best = (error, c, lambda, (scale is null ? beta.alias() : beta * scale).MoveToOuterDisposeScope());
            }
        }

        (_, int chosenScale, int chosenLambda, Tensor chosenBeta) = best!.Value;
        return Model(chosenBeta, mean, std, yMean, lambdas[chosenLambda]) with { ScaleChoice = chosenScale };
    }

    /// <summary>The λ with the lowest leave-one-out error on columns <paramref name="z"/>, that error, and β at it.</summary>
    private static (double Error, int Lambda, Tensor Beta) FitScaled(Tensor z, Tensor target, IReadOnlyList<double> lambdas)
    {
        long n = z.shape[0];
        bool primal = z.shape[1] <= z.shape[0];
        // Primal: ZᵀZ = V diag(w) Vᵀ, P = ZV, H = P diag(1/(w+λ)) Pᵀ. Dual: ZZᵀ = U diag(w) Uᵀ, H = U diag(w/(w+λ)) Uᵀ.
        (Tensor values, Tensor vectors) = linalg.eigh(primal ? z.T.matmul(z) : z.matmul(z.T));
        values = values.AtLeast(0);
        Tensor basis = primal ? z.matmul(vectors) : vectors;
        Tensor squared = basis.Squared();
        Tensor projected = basis.T.matmul(target);
        double bestError = double.PositiveInfinity;
        int best = 0;
        for (int l = 0; l < lambdas.Count; l++)
        {
            Tensor shrink = primal ? values.Plus(lambdas[l]).reciprocal() : values / values.Plus(lambdas[l]);
            Tensor fitted = basis.matmul(projected * shrink);
            Tensor leverage = squared.matmul(shrink).Plus(1.0 / n);
            double error = ((target - fitted) / leverage.SubtractedFrom(1).AtLeast(1e-9)).Squared().sum().item<double>();
            if (error < bestError)
            {
                bestError = error;
                best = l;
            }
        }

        double lambda = lambdas[best];
        Tensor beta = primal
            ? vectors.matmul(projected / values.Plus(lambda))
            : z.T.matmul(vectors.matmul(vectors.T.matmul(target) / values.Plus(lambda)));
        return (bestError, best, beta);
    }

    private static Tensor ScaleVector(double[] values, long columns)
    {
        if (values.Length != columns || values.Any(v => !(v > 0) || !double.IsFinite(v)))
        {
            throw new ArgumentException($"A column scale needs {columns} finite positive values ({values.Length} given).", nameof(values));
        }

        return tensor(values, float64);
    }

    private static (Tensor Z, Tensor Mean, Tensor Std) Standardise(Tensor raw)
    {
        Tensor mean = raw.mean([0]);
        // A constant column gets std 1: it standardises to 0 and its weight to 0.
        Tensor std = raw.std(0, unbiased: false);
        std = where(std.GreaterThan(1e-12), std, ones_like(std));
        return ((raw - mean) / std, mean, std);
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
    /// <summary>Index of the column-scale candidate the fit chose (0 when there was one).</summary>
    public int ScaleChoice { get; init; }

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
