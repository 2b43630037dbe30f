using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MetaQap.Modeling.Backbones;

/// <summary>
/// torchvision's EfficientNet-B0 with identical state-dict keys (features.1.0.block.0.0.weight,
/// features.2.0.block.2.fc1.weight, classifier.1.weight …): stem, seven MBConv stages, 1×1 head to 1280 channels.
/// </summary>
public sealed class EfficientNet : Module<Tensor, Tensor>, IBackbone
{
    // (expand ratio, kernel, stride, input channels, output channels, layers) of torchvision's B0 configuration.
    private static readonly (int Expand, int Kernel, int Stride, int In, int Out, int Layers)[] B0Stages =
    [
        (1, 3, 1, 32, 16, 1),
        (6, 3, 2, 16, 24, 2),
        (6, 5, 2, 24, 40, 2),
        (6, 3, 2, 40, 80, 3),
        (6, 5, 1, 80, 112, 3),
        (6, 5, 2, 112, 192, 4),
        (6, 3, 1, 192, 320, 1),
    ];

    private readonly Sequential features;
    private readonly AdaptiveAvgPool2d avgpool;
    private readonly Sequential classifier;

    private EfficientNet(string architecture, double dropout, double stochasticDepthProbability, int numClasses)
        : base(nameof(EfficientNet))
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(numClasses);
        Architecture = architecture;
        var norm = BatchNormSettings.PyTorchDefault;
        var layers = new List<Module<Tensor, Tensor>>
        {
            ConvNormActivation.Create(3, B0Stages[0].In, 3, SiLU, norm, stride: 2),
        };

        int totalBlocks = B0Stages.Sum(s => s.Layers);
        int blockIndex = 0;
        foreach (var stage in B0Stages)
        {
            var blocks = new List<Module<Tensor, Tensor>>(stage.Layers);
            for (int i = 0; i < stage.Layers; i++)
            {
                // Stochastic depth grows linearly with the block's depth in the network, as in torchvision.
                double probability = stochasticDepthProbability * blockIndex / totalBlocks;
                blocks.Add(i == 0
                    ? new MBConv(stage.Expand, stage.Kernel, stage.Stride, stage.In, stage.Out, probability, norm)
                    : new MBConv(stage.Expand, stage.Kernel, 1, stage.Out, stage.Out, probability, norm));
                blockIndex++;
            }

            layers.Add(Sequential(blocks));
        }

        int lastInput = B0Stages[^1].Out;
        FeatureCount = 4 * lastInput;
        layers.Add(ConvNormActivation.Create(lastInput, FeatureCount, 1, SiLU, norm));
        features = Sequential(layers);
        avgpool = AdaptiveAvgPool2d(1);
        classifier = Sequential(Dropout(dropout), Linear(FeatureCount, numClasses));
        RegisterComponents();
        InitLikeTorchvision();
    }

    public string Architecture { get; }

    public int FeatureCount { get; }

    public int DefaultInputSize => 224;

    public static EfficientNet efficientnet_b0(int numClasses = 1000) => new("efficientnet_b0", 0.2, 0.2, numClasses);

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
        // torchvision: linear weights uniform in ±1/sqrt(out_features), zero bias.
        using var noGrad = no_grad();
        foreach (var (_, module) in classifier.named_modules())
        {
            if (module is Linear linear)
            {
                double range = 1.0 / Math.Sqrt(linear.weight!.shape[0]);
                init.uniform_(linear.weight, -range, range);
                init.zeros_(linear.bias!);
            }
        }
    }
}
