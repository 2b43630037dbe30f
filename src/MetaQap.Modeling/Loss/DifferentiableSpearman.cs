using MetaQap.Modeling.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace MetaQap.Modeling.Loss;

/// <summary>
/// SROCC̃: the Pearson correlation between the soft ranks of the predictions (<see cref="SoftRank"/>) and the
/// average-tie ranks of the targets (<see cref="AverageRank"/>). It tends to Spearman's rho as the temperature goes
/// to 0 and is differentiable in the predictions.
/// </summary>
/// <remarks>
/// The MetaQAP authors' public code computes a Pearson correlation on softmax outputs and calls it SROCC; this is a
/// rank correlation proper. The targets are ranked hard because they carry no gradient.
/// </remarks>
public static class DifferentiableSpearman
{
    /// <summary>
    /// Added to each sum of squared deviations so a constant side (all predictions or all targets equal) gives a
    /// correlation of 0 with finite gradients instead of 0/0.
    /// </summary>
    internal const double CorrelationEpsilon = 1e-12;

    /// <summary>SROCC̃ of <paramref name="predicted"/> against <paramref name="target"/>, a scalar on the prediction's dtype and device.</summary>
    /// <param name="predicted">Predictions [N] or [N, 1], floating point, N &gt;= 2.</param>
    /// <param name="target">Targets with N elements ([N] or [N, 1]); cast to the prediction's dtype and device.</param>
    /// <param name="temperature">Soft-rank temperature relative to std(predicted), &gt; 0.</param>
    public static Tensor Compute(Tensor predicted, Tensor target, double temperature)
    {
        LossInputs.RequireTemperature(temperature, nameof(temperature));

        using var scope = torch.NewDisposeScope();
        var (p, t) = LossInputs.FlattenPair(predicted, target);
        var correlation = Pearson(SoftRank.Compute(p, temperature), AverageRank.Compute(t));
        return scope.MoveToOuter(correlation);
    }

    private static Tensor Pearson(Tensor a, Tensor b)
    {
        var ac = a - a.mean();
        var bc = b - b.mean();
        var covariance = (ac * bc).sum();
        var norms = ac.Squared().sum().Plus(CorrelationEpsilon).sqrt() * bc.Squared().sum().Plus(CorrelationEpsilon).sqrt();
        return covariance / norms;
    }
}
