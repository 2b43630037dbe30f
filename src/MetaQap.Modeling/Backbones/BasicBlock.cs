using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MetaQap.Modeling.Backbones;

/// <summary>
/// torchvision's ResNet BasicBlock: two 3×3 convs and an optional 1×1 projection shortcut. With
/// <c>cntkSamePadding</c> a stride-2 first conv pads like CNTK's "same" (one row and column at the top and left,
/// none at the bottom and right) instead of one on every side, as <see cref="ResNetCntk"/>'s ImageNet weights expect.
/// </summary>
internal sealed class BasicBlock : Module<Tensor, Tensor>, IBatchNormFoldable
{
    public const int Expansion = 1;

    private readonly Conv2d conv1;
    private readonly RootedBatchNorm2d bn1;
    private readonly Conv2d conv2;
    private readonly RootedBatchNorm2d bn2;
    private readonly Module<Tensor, Tensor>? downsample;
    private readonly bool _padTopLeft;
    private bool _folded;

    public BasicBlock(long inplanes, long planes, long stride, Module<Tensor, Tensor>? downsample, bool cntkSamePadding = false)
        : base(nameof(BasicBlock))
    {
        _padTopLeft = cntkSamePadding && stride != 1;
        conv1 = Conv2d(inplanes, planes, 3, stride: stride, padding: _padTopLeft ? 0 : 1, bias: false);
        bn1 = new RootedBatchNorm2d(planes);
        conv2 = Conv2d(planes, planes, 3, padding: 1, bias: false);
        bn2 = new RootedBatchNorm2d(planes);
        this.downsample = downsample;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        if (_folded)
        {
            return ForwardFolded(x);
        }

        using var a = FirstConv(x);
        using var b = bn1.forward(a);
        using var c = functional.relu(b);
        using var d = conv2.forward(c);
        using var e = bn2.forward(d);
        return Residual.AddShortcutAndRelu(e, x, downsample, inPlace: false);
    }

    public void FoldBatchNorm()
    {
        if (!_folded)
        {
            BatchNormFolding.Fold(conv1, bn1);
            BatchNormFolding.Fold(conv2, bn2);
            _folded = true;
        }
    }

    /// <summary>
    /// Inference only: the BatchNorms are inside the convs and every intermediate is this method's own, so the ReLUs
    /// and the residual sum work in place (as torchvision's inplace ReLUs and <c>out += identity</c> do).
    /// </summary>
    private Tensor ForwardFolded(Tensor x)
    {
        using Tensor a = FirstConv(x);
        a.relu_();
        return Residual.AddShortcutAndRelu(conv2.forward(a), x, downsample, inPlace: true);
    }

    private Tensor FirstConv(Tensor x)
    {
        if (!_padTopLeft)
        {
            return conv1.forward(x);
        }

        using Tensor padded = functional.pad(x, CntkPadding.StrideTwo3x3);
        return conv1.forward(padded);
    }
}
