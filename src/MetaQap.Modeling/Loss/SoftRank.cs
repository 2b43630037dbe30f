using MetaQap.Modeling.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace MetaQap.Modeling.Loss;

/// <summary>
/// Differentiable ranks: rank_i = 0.5 + Σ_j sigmoid((x_i − x_j) / T), T = temperature · std(x).
/// </summary>
/// <remarks>
/// The j = i term contributes sigmoid(0) = 0.5, so as the temperature goes to 0 the ranks become 1..N, and tied
/// values get the average of the ranks they span (each tied pair contributes exactly 0.5 at any temperature), which
/// is the tie rule of <see cref="AverageRank"/> and of scipy.stats.rankdata.
/// <para>
/// T is relative to the population standard deviation of x, so the ranks do not change when x is shifted or
/// scaled: the rank term of the loss then behaves the same for scores on 0–1 or 0–100, and, like Spearman's rho,
/// cannot be improved by merely stretching the predictions. The standard deviation is part of the graph (it is
/// differentiated through, not detached), so the gradient is that of the function actually computed. A small
/// epsilon under the square root keeps T > 0 when every x is equal; the ranks are then all (N + 1) / 2.
/// </para>
/// Cost is O(N²) time and memory per call, fine for training batches of up to a few thousand samples.
/// </remarks>
public static class SoftRank
{
    /// <summary>Added to the variance so that T stays positive (and its gradient finite) for constant input.</summary>
    internal const double VarianceEpsilon = 1e-12;

    /// <summary>Soft ranks of <paramref name="x"/> ([N] floating point) on its dtype and device; result [N].</summary>
    /// <param name="x">Values to rank, shape [N].</param>
    /// <param name="temperature">Temperature relative to std(x), &gt; 0; smaller is closer to hard ranks.</param>
    public static Tensor Compute(Tensor x, double temperature)
    {
        LossInputs.RequireFloatVector(x, nameof(x));
        LossInputs.RequireTemperature(temperature, nameof(temperature));

        using var scope = torch.NewDisposeScope();
        var centered = x - x.mean();
        var scale = centered.Squared().mean().Plus(VarianceEpsilon).sqrt() * temperature;
        var differences = x.unsqueeze(1) - x.unsqueeze(0); // [i, j] = x_i - x_j
        var ranks = (differences / scale).sigmoid().sum(1).Plus(0.5);
        return scope.MoveToOuter(ranks);
    }
}
