using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MetaQap.Modeling.Backbones;

/// <summary>torchvision's _DenseLayer: BN-ReLU-1×1 bottleneck then BN-ReLU-3×3 producing growth-rate channels.</summary>
internal sealed class DenseLayer : Module<Tensor, Tensor>
{
    private readonly RootedBatchNorm2d norm1;
    private readonly Conv2d conv1;
    private readonly RootedBatchNorm2d norm2;
    private readonly Conv2d conv2;

    public DenseLayer(long inputFeatures, long growthRate, long bottleneckFactor)
        : base(nameof(DenseLayer))
    {
        norm1 = new RootedBatchNorm2d(inputFeatures);
        conv1 = Conv2d(inputFeatures, bottleneckFactor * growthRate, 1, bias: false);
        norm2 = new RootedBatchNorm2d(bottleneckFactor * growthRate);
        conv2 = Conv2d(bottleneckFactor * growthRate, growthRate, 3, padding: 1, bias: false);
        RegisterComponents();
    }

    /// <param name="x">The concatenation of the block input and every earlier layer's output.</param>
    public override Tensor forward(Tensor x)
    {
        using var a = norm1.forward(x);
        using var b = functional.relu(a);
        using var c = conv1.forward(b);
        using var d = norm2.forward(c);
        using var e = functional.relu(d);
        return conv2.forward(e);
    }
}
