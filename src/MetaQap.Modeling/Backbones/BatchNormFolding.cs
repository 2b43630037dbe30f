using MetaQap.Modeling.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MetaQap.Modeling.Backbones;

/// <summary>A module that can merge the eval-mode BatchNorms that directly follow its convolutions into them.</summary>
internal interface IBatchNormFoldable
{
    /// <summary>Folds its own conv → BatchNorm pairs (not its children's) and skips those BatchNorms from then on.</summary>
    void FoldBatchNorm();
}

/// <summary>
/// Inference-only conv/BatchNorm folding. In eval mode BatchNorm is a per-channel affine map with frozen statistics,
/// y = γ (x − μ) / √(σ² + ε) + β, so after a convolution it can be merged into the convolution's weights and bias:
/// W' = W·s and b' = β + (b − μ)·s with s = γ / √(σ² + ε). The network then computes the same function (up to
/// float rounding) with one pass over each activation fewer; mobilenet_v3_small has 34 such pairs
/// (docs/performance.md). The folded parameters are computed in float64 and are no longer the trained state dict.
/// </summary>
public static class BatchNormFolding
{
    /// <summary>
    /// Folds every foldable conv → BatchNorm pair under <paramref name="root"/> (which must be in eval mode). Prefer
    /// <see cref="Quality.QualityModel.PrepareForInference"/> for a base model: it also refuses training after.
    /// </summary>
    public static void FoldAll(Module root)
    {
        ArgumentNullException.ThrowIfNull(root);
        if (root.training)
        {
            throw new InvalidOperationException("BatchNorm can only be folded in eval mode: call eval() first.");
        }

        foreach (Module module in root.modules().Prepend(root))
        {
            (module as IBatchNormFoldable)?.FoldBatchNorm();
        }
    }

    internal static void Fold(Conv2d conv, RootedBatchNorm2d norm)
    {
        ArgumentNullException.ThrowIfNull(conv);
        ArgumentNullException.ThrowIfNull(norm);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        ScalarType type = conv.weight!.dtype;
        Tensor mean = norm.running_mean!.to(float64);
        Tensor scale = (norm.weight is { } gamma ? gamma.to(float64) : ones_like(mean)) / norm.running_var!.to(float64).Plus(norm.eps).sqrt();
        Tensor shift = norm.bias is { } beta ? beta.to(float64) : zeros_like(mean);
        Tensor bias = conv.bias is { } b ? b.to(float64) : zeros_like(mean);
        Tensor weight = conv.weight.to(float64) * scale.view(-1, 1, 1, 1);
        conv.weight = new Parameter(weight.to(type).MoveToOuterDisposeScope(), requires_grad: false);
        conv.bias = new Parameter(shift.Plus((bias - mean) * scale).to(type).MoveToOuterDisposeScope(), requires_grad: false);
    }
}
