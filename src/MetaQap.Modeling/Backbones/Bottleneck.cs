using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MetaQap.Modeling.Backbones;

/// <summary>torchvision's ResNet v1.5 Bottleneck: 1×1 reduce, 3×3 (carrying the stride), 1×1 expand ×4.</summary>
internal sealed class Bottleneck : Module<Tensor, Tensor>, IBatchNormFoldable
{
    public const int Expansion = 4;

    private readonly Conv2d conv1;
    private readonly RootedBatchNorm2d bn1;
    private readonly Conv2d conv2;
    private readonly RootedBatchNorm2d bn2;
    private readonly Conv2d conv3;
    private readonly RootedBatchNorm2d bn3;
    private readonly Module<Tensor, Tensor>? downsample;
    private bool _folded;

    public Bottleneck(long inplanes, long planes, long stride, Module<Tensor, Tensor>? downsample)
        : base(nameof(Bottleneck))
    {
        conv1 = Conv2d(inplanes, planes, 1, bias: false);
        bn1 = new RootedBatchNorm2d(planes);
        conv2 = Conv2d(planes, planes, 3, stride: stride, padding: 1, bias: false);
        bn2 = new RootedBatchNorm2d(planes);
        conv3 = Conv2d(planes, planes * Expansion, 1, bias: false);
        bn3 = new RootedBatchNorm2d(planes * Expansion);
        this.downsample = downsample;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        if (_folded)
        {
            return ForwardFolded(x);
        }

        using var a = conv1.forward(x);
        using var b = bn1.forward(a);
        using var c = functional.relu(b);
        using var d = conv2.forward(c);
        using var e = bn2.forward(d);
        using var f = functional.relu(e);
        using var g = conv3.forward(f);
        using var h = bn3.forward(g);
        return Residual.AddShortcutAndRelu(h, x, downsample, inPlace: false);
    }

    public void FoldBatchNorm()
    {
        if (!_folded)
        {
            BatchNormFolding.Fold(conv1, bn1);
            BatchNormFolding.Fold(conv2, bn2);
            BatchNormFolding.Fold(conv3, bn3);
            _folded = true;
        }
    }

    /// <summary>Inference only, as <see cref="BasicBlock"/>'s: BatchNorms inside the convs, ReLUs and the residual sum in place.</summary>
    private Tensor ForwardFolded(Tensor x)
    {
        using Tensor a = conv1.forward(x);
        a.relu_();
        using Tensor b = conv2.forward(a);
        b.relu_();
        return Residual.AddShortcutAndRelu(conv3.forward(b), x, downsample, inPlace: true);
    }
}
