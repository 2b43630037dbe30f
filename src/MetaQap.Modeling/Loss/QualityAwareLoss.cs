using MetaQap.Modeling.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace MetaQap.Modeling.Loss;

/// <summary>
/// MetaQAP's quality-aware loss: λ1·MSE + λ2·(1 − SROCC̃), SROCC̃ from <see cref="DifferentiableSpearman"/>.
/// </summary>
/// <remarks>
/// MSE is in squared target units while 1 − SROCC̃ lies in [0, 2], so λ1 = λ2 = 0.5 balances the two only when the
/// targets are on a unit-sized scale (e.g. 0–1); normalise scores before training rather than retuning the weights.
/// Like any correlation loss, the SROCC̃ gradient grows as the predictions' spread shrinks (it is finite, but large,
/// when all predictions are equal); clip gradients in the training loop.
/// </remarks>
public sealed class QualityAwareLoss
{
    private readonly QualityAwareLossOptions _options;

    /// <param name="options">Weights and temperature; defaults to the paper's λ1 = λ2 = 0.5 and a temperature of 0.1.</param>
    public QualityAwareLoss(QualityAwareLossOptions? options = null)
    {
        _options = options ?? new QualityAwareLossOptions();
        _options.Validate();
    }

    /// <summary>The loss as a scalar on the prediction's dtype and device, differentiable in <paramref name="predicted"/>.</summary>
    /// <param name="predicted">Predictions [N] or [N, 1], floating point, N &gt;= 2.</param>
    /// <param name="target">Targets with N elements ([N] or [N, 1]); cast to the prediction's dtype and device.</param>
    public Tensor Compute(Tensor predicted, Tensor target)
    {
        using var scope = torch.NewDisposeScope();
        var (p, t) = LossInputs.FlattenPair(predicted, target);
        var mse = (p - t).Squared().mean();
        var srocc = DifferentiableSpearman.Compute(p, t, _options.Temperature);
        var loss = (mse * _options.MseWeight).Plus(srocc.SubtractedFrom(1.0) * _options.SroccWeight);
        return scope.MoveToOuter(loss);
    }
}
