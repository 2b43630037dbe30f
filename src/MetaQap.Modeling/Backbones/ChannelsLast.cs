using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MetaQap.Modeling.Backbones;

/// <summary>
/// Inference-only memory layout: every 2-D convolution's weight is re-stored channels-last (the strides of an
/// N×H×W×C array behind the same N×C×H×W shape and values). libtorch's CPU convolution (oneDNN) follows the weight's
/// layout, so the first convolution reorders the image once and every later map stays channels-last, which oneDNN's
/// kernels read without the per-layer reorders the default layout costs: the folded resnet18_cntk trunk runs 1.24–1.29×
/// faster at 256–512 px on 2 cores, the other backbones 1.22–1.77× (docs/performance.md, <c>metaqap bench layout</c>).
/// The values are unchanged and outputs agree to float rounding. TorchSharp 0.107 has no memory-format argument, so the layout is made by
/// permute → contiguous → permute back. Safetensors writes the contiguous copy, but weights are saved before this.
/// </summary>
public static class ChannelsLast
{
    /// <summary>Dimensions of N×C×H×W from the fastest-varying to the slowest in channels-last memory.</summary>
    private static readonly int[] NhwcOrder = [1, 3, 2, 0];

    /// <summary>Re-stores the weight of every <see cref="Conv2d"/> under <paramref name="root"/> channels-last; returns how many. Idempotent.</summary>
    public static int ConvertConvWeights(Module root)
    {
        ArgumentNullException.ThrowIfNull(root);
        int converted = 0;
        using var noGrad = no_grad();
        foreach (Module module in root.modules().Prepend(root))
        {
            if (module is Conv2d { weight: { } weight } conv && !IsChannelsLast(weight))
            {
                using Tensor nhwc = weight.permute(0, 2, 3, 1).contiguous();
                conv.weight = new Parameter(nhwc.permute(0, 3, 1, 2), requires_grad: weight.requires_grad);
                converted++;
            }
        }

        return converted;
    }

    /// <summary>
    /// Whether a 4-D tensor's strides are those of a contiguous N×H×W×C array. As in libtorch, the stride of a
    /// dimension of size 1 is ignored (it addresses nothing), so a depthwise weight (C = 1) already counts.
    /// </summary>
    public static bool IsChannelsLast(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.dim() != 4)
        {
            return false;
        }

        long[] shape = tensor.shape;
        long[] stride = tensor.stride();
        long expected = 1;
        foreach (int dim in NhwcOrder)
        {
            if (shape[dim] != 1 && stride[dim] != expected)
            {
                return false;
            }

            expected *= shape[dim];
        }

        return true;
    }
}
