using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MetaQap.Modeling.Backbones;

/// <summary>torchvision.ops.SqueezeExcitation: channel gates from a pooled 1×1-conv bottleneck (keys fc1, fc2).</summary>
internal sealed class SqueezeExcitation : Module<Tensor, Tensor>
{
    private readonly AdaptiveAvgPool2d avgpool;
    private readonly Conv2d fc1;
    private readonly Conv2d fc2;
    private readonly Module<Tensor, Tensor> activation;
    private readonly Module<Tensor, Tensor> scale_activation;

    public SqueezeExcitation(long inputChannels, long squeezeChannels, Module<Tensor, Tensor> activation, Module<Tensor, Tensor> scaleActivation)
        : base(nameof(SqueezeExcitation))
    {
        avgpool = AdaptiveAvgPool2d(1);
        fc1 = Conv2d(inputChannels, squeezeChannels, 1);
        fc2 = Conv2d(squeezeChannels, inputChannels, 1);
        this.activation = activation;
        scale_activation = scaleActivation;
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var pooled = avgpool.forward(input);
        using var squeezed = fc1.forward(pooled);
        using var activated = activation.forward(squeezed);
        using var expanded = fc2.forward(activated);
        using var scale = scale_activation.forward(expanded);
        return scale * input;
    }
}
