using MetaQap.Modeling.Runtime;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MetaQap.Modeling.Backbones;

/// <summary>
/// torchvision's EfficientNet MBConv: optional 1×1 expansion, depthwise conv, squeeze-excitation, 1×1 projection
/// (block.0…block.3, or block.0…block.2 without expansion) and a stochastic-depth residual.
/// </summary>
internal sealed class MBConv : Module<Tensor, Tensor>
{
    private readonly Sequential block;
    private readonly StochasticDepth stochastic_depth;
    private readonly bool _useResidual;

    public MBConv(int expandRatio, int kernel, int stride, int inputChannels, int outChannels, double stochasticDepthProbability, BatchNormSettings norm)
        : base(nameof(MBConv))
    {
        _useResidual = stride == 1 && inputChannels == outChannels;
        int expanded = ChannelMath.MakeDivisible(inputChannels * (double)expandRatio, 8);
        var layers = new List<Module<Tensor, Tensor>>(4);
        if (expanded != inputChannels)
        {
            layers.Add(ConvNormActivation.Create(inputChannels, expanded, 1, SiLU, norm));
        }

        layers.Add(ConvNormActivation.Create(expanded, expanded, kernel, SiLU, norm, stride: stride, groups: expanded));
        layers.Add(new SqueezeExcitation(expanded, Math.Max(1, inputChannels / 4), SiLU(), Sigmoid()));
        layers.Add(ConvNormActivation.Create(expanded, outChannels, 1, null, norm));
        block = Sequential(layers);
        stochastic_depth = new StochasticDepth(stochasticDepthProbability);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        if (!_useResidual)
        {
            return block.forward(input);
        }

        using var branch = block.forward(input);
        using var dropped = stochastic_depth.forward(branch);
        return dropped.Plus(input);
    }
}
