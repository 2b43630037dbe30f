using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MetaQap.Modeling.Backbones;

/// <summary>
/// torchvision.ops.Conv2dNormActivation: a Sequential of bias-free conv (index 0), BatchNorm (1) and an optional
/// activation (2), padded to keep "same" size for odd kernels. The indices are what the state-dict keys name.
/// </summary>
internal static class ConvNormActivation
{
    public static Sequential Create(
        long inChannels,
        long outChannels,
        long kernelSize,
        Func<Module<Tensor, Tensor>>? activation,
        BatchNormSettings norm,
        long stride = 1,
        long groups = 1)
    {
        var conv = Conv2d(inChannels, outChannels, kernelSize, stride: stride, padding: (kernelSize - 1) / 2, groups: groups, bias: false);
        var bn = BatchNorm2d(outChannels, eps: norm.Eps, momentum: norm.Momentum);
        return activation is null ? Sequential(conv, bn) : Sequential(conv, bn, activation());
    }
}

/// <summary>BatchNorm hyper-parameters; torchvision uses different ones per family (e.g. MobileNetV3: 1e-3, 0.01).</summary>
internal readonly record struct BatchNormSettings(double Eps, double Momentum)
{
    public static BatchNormSettings PyTorchDefault => new(1e-5, 0.1);
}
