using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MetaQap.Modeling.Backbones;

/// <summary>
/// torchvision's MobileNetV3 (large and small, width 1.0) with identical state-dict keys (features.0.0.weight,
/// features.4.block.2.fc1.weight, classifier.3.weight …). BatchNorm uses eps 1e-3 and momentum 0.01 as there.
/// mobilenet_v3_small (≈2.5 M parameters, ≈0.06 GFLOPs at 224²) is one of the two CPU-default backbones.
/// </summary>
public sealed class MobileNetV3 : Module<Tensor, Tensor>, IBackbone
{
    private static readonly InvertedResidualConfig[] LargeConfig =
    [
        new(16, 3, 16, 16, false, false, 1),
        new(16, 3, 64, 24, false, false, 2),
        new(24, 3, 72, 24, false, false, 1),
        new(24, 5, 72, 40, true, false, 2),
        new(40, 5, 120, 40, true, false, 1),
        new(40, 5, 120, 40, true, false, 1),
        new(40, 3, 240, 80, false, true, 2),
        new(80, 3, 200, 80, false, true, 1),
        new(80, 3, 184, 80, false, true, 1),
        new(80, 3, 184, 80, false, true, 1),
        new(80, 3, 480, 112, true, true, 1),
        new(112, 3, 672, 112, true, true, 1),
        new(112, 5, 672, 160, true, true, 2),
        new(160, 5, 960, 160, true, true, 1),
        new(160, 5, 960, 160, true, true, 1),
    ];

    private static readonly InvertedResidualConfig[] SmallConfig =
    [
        new(16, 3, 16, 16, true, false, 2),
        new(16, 3, 72, 24, false, false, 2),
        new(24, 3, 88, 24, false, false, 1),
        new(24, 5, 96, 40, true, true, 2),
        new(40, 5, 240, 40, true, true, 1),
        new(40, 5, 240, 40, true, true, 1),
        new(40, 5, 120, 48, true, true, 1),
        new(48, 5, 144, 48, true, true, 1),
        new(48, 5, 288, 96, true, true, 2),
        new(96, 5, 576, 96, true, true, 1),
        new(96, 5, 576, 96, true, true, 1),
    ];

    private readonly Sequential features;
    private readonly AdaptiveAvgPool2d avgpool;
    private readonly Sequential classifier;

    private MobileNetV3(string architecture, InvertedResidualConfig[] config, int lastChannel, int numClasses)
        : base(nameof(MobileNetV3))
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(numClasses);
        Architecture = architecture;
        var norm = new BatchNormSettings(1e-3, 0.01);
        var layers = new List<Module<Tensor, Tensor>>(config.Length + 2)
        {
            ConvNormActivation.Create(3, config[0].InputChannels, 3, () => Hardswish(), norm, stride: 2),
        };
        foreach (var row in config)
        {
            layers.Add(new InvertedResidual(row, norm));
        }

        FeatureCount = 6 * config[^1].OutChannels;
        layers.Add(ConvNormActivation.Create(config[^1].OutChannels, FeatureCount, 1, () => Hardswish(), norm));
        features = Sequential(layers);
        avgpool = AdaptiveAvgPool2d(1);
        classifier = Sequential(Linear(FeatureCount, lastChannel), Hardswish(), Dropout(0.2), Linear(lastChannel, numClasses));
        RegisterComponents();
        InitLikeTorchvision();
    }

    public string Architecture { get; }

    /// <summary>Channels of the pooled last conv (960 / 576), i.e. the input of the classifier's first Linear.</summary>
    public int FeatureCount { get; }

    public int DefaultInputSize => 224;

    public static MobileNetV3 mobilenet_v3_large(int numClasses = 1000) => new("mobilenet_v3_large", LargeConfig, 1280, numClasses);

    public static MobileNetV3 mobilenet_v3_small(int numClasses = 1000) => new("mobilenet_v3_small", SmallConfig, 1024, numClasses);

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return classifier.forward(Features(input)).MoveToOuterDisposeScope();
    }

    public Tensor ForwardFeatures(Tensor images)
    {
        using var scope = NewDisposeScope();
        return Features(images).MoveToOuterDisposeScope();
    }

    private Tensor Features(Tensor x) => avgpool.forward(features.forward(x)).flatten(1);

    private void InitLikeTorchvision()
    {
        WeightInit.KaimingFanOutConvs(this);
        // torchvision: linear weights N(0, 0.01), zero bias.
        using var noGrad = no_grad();
        foreach (var (_, module) in classifier.named_modules())
        {
            if (module is Linear linear)
            {
                init.normal_(linear.weight, 0.0, 0.01);
                init.zeros_(linear.bias!);
            }
        }
    }
}
