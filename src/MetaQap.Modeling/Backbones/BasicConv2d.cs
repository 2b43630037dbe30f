using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MetaQap.Modeling.Backbones;

/// <summary>Inception-v3's BasicConv2d: bias-free conv, BatchNorm with eps 1e-3, ReLU (keys conv.*, bn.*).</summary>
internal sealed class BasicConv2d : Module<Tensor, Tensor>
{
    private readonly Conv2d conv;
    private readonly RootedBatchNorm2d bn;

    public BasicConv2d(long inChannels, long outChannels, (long, long) kernel, (long, long)? padding = null, long stride = 1)
        : base(nameof(BasicConv2d))
    {
        conv = Conv2d(inChannels, outChannels, kernel, stride: (stride, stride), padding: padding ?? (0, 0), bias: false);
        bn = new RootedBatchNorm2d(outChannels, eps: 1e-3);
        RegisterComponents();
    }

    public BasicConv2d(long inChannels, long outChannels, long kernel, long padding = 0, long stride = 1)
        : this(inChannels, outChannels, (kernel, kernel), (padding, padding), stride)
    {
    }

    /// <summary>The standard deviation torchvision's truncated-normal init uses for this conv.</summary>
    public double InitStd { get; init; } = 0.1;

    public Conv2d Conv => conv;

    public override Tensor forward(Tensor input)
    {
        using var a = conv.forward(input);
        using var b = bn.forward(a);
        return functional.relu(b);
    }
}
