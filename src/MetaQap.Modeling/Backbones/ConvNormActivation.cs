using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MetaQap.Modeling.Backbones;

/// <summary>
/// torchvision.ops.Conv2dNormActivation: a bias-free conv (child "0"), BatchNorm ("1") and an optional activation
/// ("2"), padded to keep "same" size for odd kernels. The child names are what the state-dict keys name, as in
/// torchvision's Sequential. <see cref="FoldBatchNorm"/> merges the BatchNorm into the conv for inference.
/// </summary>
internal sealed class ConvNormActivation : Module<Tensor, Tensor>, IBatchNormFoldable
{
    private readonly Conv2d _conv;
    private readonly RootedBatchNorm2d _norm;
    private readonly Module<Tensor, Tensor>? _activation;
    private bool _folded;

    private ConvNormActivation(Conv2d conv, RootedBatchNorm2d norm, Module<Tensor, Tensor>? activation)
        : base(nameof(ConvNormActivation))
    {
        _conv = conv;
        _norm = norm;
        _activation = activation;
        RegisterComponents();
    }

    /// <summary>
    /// Registers the children under torchvision's Sequential indices. Overridden because the base version would
    /// also register the fields by name, here or when a parent module registers its own components.
    /// </summary>
    protected override void RegisterComponents()
    {
        if (named_children().Any())
        {
            return;
        }

        register_module("0", _conv);
        register_module("1", _norm);
        if (_activation is not null)
        {
            register_module("2", _activation);
        }
    }

    public static ConvNormActivation Create(
        long inChannels,
        long outChannels,
        long kernelSize,
        Func<Module<Tensor, Tensor>>? activation,
        BatchNormSettings norm,
        long stride = 1,
        long groups = 1)
    {
        var conv = Conv2d(inChannels, outChannels, kernelSize, stride: stride, padding: (kernelSize - 1) / 2, groups: groups, bias: false);
        var bn = new RootedBatchNorm2d(outChannels, eps: norm.Eps, momentum: norm.Momentum);
        return new ConvNormActivation(conv, bn, activation?.Invoke());
    }

    public override Tensor forward(Tensor input)
    {
        if (_folded)
        {
            Tensor convolved = _conv.forward(input);
            return _activation is null ? convolved : InPlaceActivation.Apply(_activation, convolved);
        }

        using Tensor a = _conv.forward(input);
        if (_activation is null)
        {
            return _norm.forward(a);
        }

        using Tensor b = _norm.forward(a);
        return _activation.forward(b);
    }

    public void FoldBatchNorm()
    {
        if (!_folded)
        {
            BatchNormFolding.Fold(_conv, _norm);
            _folded = true;
        }
    }
}

/// <summary>BatchNorm hyper-parameters; torchvision uses different ones per family (e.g. MobileNetV3: 1e-3, 0.01).</summary>
internal readonly record struct BatchNormSettings(double Eps, double Momentum)
{
    public static BatchNormSettings PyTorchDefault => new(1e-5, 0.1);
}
