using MetaQap.Modeling.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace MetaQap.Modeling.Backbones;

/// <summary>
/// The residual sum of the ResNet blocks, through <see cref="TensorScalars"/>: TorchSharp's <c>a + b</c> makes a
/// Scalar 1 for every call that a garbage collection during the native call can free (in the worker this surfaced
/// as a rare <c>InferenceFailed</c>, docs/performance.md).
/// </summary>
internal static class Residual
{
    /// <summary>
    /// The end of a ResNet block: ReLU(<paramref name="branch"/> + shortcut), the shortcut being <paramref name="x"/>
    /// or <paramref name="downsample"/>(<paramref name="x"/>). With <paramref name="inPlace"/> (the folded, inference
    /// only path) the sum and the ReLU overwrite <paramref name="branch"/>, the block's own fresh tensor, as
    /// torchvision's <c>out += identity</c> and inplace ReLU do.
    /// </summary>
    public static Tensor AddShortcutAndRelu(Tensor branch, Tensor x, nn.Module<Tensor, Tensor>? downsample, bool inPlace)
    {
        using Tensor identity = downsample is null ? x.alias() : downsample.forward(x);
        if (inPlace)
        {
            branch.PlusInPlace(identity);
            return branch.relu_();
        }

        using Tensor sum = branch.Plus(identity);
        return nn.functional.relu(sum);
    }
}
