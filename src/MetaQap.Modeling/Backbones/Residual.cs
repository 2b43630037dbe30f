using TorchSharp;
using static TorchSharp.torch;

namespace MetaQap.Modeling.Backbones;

/// <summary>
/// Residual sums whose alpha Scalar lives as long as the process. TorchSharp's <c>a + b</c> (and add/add_ without an
/// alpha) makes a Scalar 1 for every call; nothing references it once its native handle has been read, so a garbage
/// collection during the native call can finalize it and libtorch then reads a freed Scalar (errors such as
/// "Expected false to be true" or a failing <c>Scalar::toFloat</c> check inside <c>add_Tensor</c>). With a thread
/// forcing collections, about 1 in 18,000 <c>a + b</c> calls failed and none with a shared Scalar
/// (<c>ResidualTests</c>); in the worker this surfaced as a rare <c>InferenceFailed</c> (docs/performance.md).
/// </summary>
internal static class Residual
{
    private static readonly Scalar One = 1;

    /// <summary><paramref name="a"/> + <paramref name="b"/> as a new tensor.</summary>
    public static Tensor Add(Tensor a, Tensor b) => a.add(b, One);

    /// <summary><paramref name="a"/> += <paramref name="b"/>; only for a tensor the caller owns and autograd does not need.</summary>
    public static Tensor AddInPlace(Tensor a, Tensor b) => a.add_(b, One);

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
            AddInPlace(branch, identity);
            return branch.relu_();
        }

        using Tensor sum = Add(branch, identity);
        return nn.functional.relu(sum);
    }
}
