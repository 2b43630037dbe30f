using MetaQap.Modeling.Runtime;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MetaQap.Modeling.Backbones;

/// <summary>One row of torchvision's MobileNetV3 table (InvertedResidualConfig at width multiplier 1).</summary>
internal readonly record struct InvertedResidualConfig(
    int InputChannels, int Kernel, int ExpandedChannels, int OutChannels, bool UseSqueezeExcitation, bool UseHardswish, int Stride);

/// <summary>
/// torchvision's MobileNetV3 InvertedResidual: optional 1×1 expansion, depthwise conv, optional hard-sigmoid
/// squeeze-excitation, 1×1 projection (children of <c>block</c> numbered as in torchvision) and an identity residual.
/// </summary>
internal sealed class InvertedResidual : Module<Tensor, Tensor>
{
    private readonly Sequential block;
    private readonly bool _useResidual;

    public InvertedResidual(InvertedResidualConfig config, BatchNormSettings norm)
        : base(nameof(InvertedResidual))
    {
        _useResidual = config.Stride == 1 && config.InputChannels == config.OutChannels;
        Func<Module<Tensor, Tensor>> activation = config.UseHardswish ? () => Hardswish() : () => ReLU();
        var layers = new List<Module<Tensor, Tensor>>(4);
        if (config.ExpandedChannels != config.InputChannels)
        {
            layers.Add(ConvNormActivation.Create(config.InputChannels, config.ExpandedChannels, 1, activation, norm));
        }

        layers.Add(ConvNormActivation.Create(
            config.ExpandedChannels, config.ExpandedChannels, config.Kernel, activation, norm, stride: config.Stride, groups: config.ExpandedChannels));
        if (config.UseSqueezeExcitation)
        {
            int squeeze = ChannelMath.MakeDivisible(config.ExpandedChannels / 4, 8);
            layers.Add(new SqueezeExcitation(config.ExpandedChannels, squeeze, ReLU(), Hardsigmoid()));
        }

        layers.Add(ConvNormActivation.Create(config.ExpandedChannels, config.OutChannels, 1, null, norm));
        block = Sequential(layers);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        if (!_useResidual)
        {
            return block.forward(input);
        }

        using var branch = block.forward(input);
        return branch.Plus(input);
    }
}
