using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MetaQap.Modeling.Backbones;

/// <summary>
/// torchvision's DenseNet (growth rate 32, bottleneck ×4, 64 stem features) with identical state-dict keys:
/// features.conv0, features.denseblock1.denselayer1.norm1, features.transition1.conv, features.norm5, classifier.
/// </summary>
public sealed class DenseNet : Module<Tensor, Tensor>, IBackbone
{
    private const int GrowthRate = 32;
    private const int BottleneckFactor = 4;
    private const int StemFeatures = 64;

    private readonly Sequential features;
    private readonly Linear classifier;

    private DenseNet(string architecture, int[] blockConfig, int numClasses)
        : base(nameof(DenseNet))
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(numClasses);
        Architecture = architecture;
        var children = new List<(string, Module<Tensor, Tensor>)>
        {
            ("conv0", Conv2d(3, StemFeatures, 7, stride: 2, padding: 3, bias: false)),
            ("norm0", new RootedBatchNorm2d(StemFeatures)),
            ("relu0", ReLU()),
            ("pool0", MaxPool2d(3, stride: 2, padding: 1)),
        };
        long channels = StemFeatures;
        for (int i = 0; i < blockConfig.Length; i++)
        {
            children.Add(($"denseblock{i + 1}", new DenseBlock(blockConfig[i], channels, GrowthRate, BottleneckFactor)));
            channels += blockConfig[i] * GrowthRate;
            if (i != blockConfig.Length - 1)
            {
                children.Add(($"transition{i + 1}", Transition(channels, channels / 2)));
                channels /= 2;
            }
        }

        children.Add(("norm5", new RootedBatchNorm2d(channels)));
        features = Sequential(children);
        classifier = Linear(channels, numClasses);
        FeatureCount = (int)channels;
        RegisterComponents();
        InitLikeTorchvision();
    }

    public string Architecture { get; }

    public int FeatureCount { get; }

    public int DefaultInputSize => 224;

    public static DenseNet densenet121(int numClasses = 1000) => new("densenet121", [6, 12, 24, 16], numClasses);

    public static DenseNet densenet201(int numClasses = 1000) => new("densenet201", [6, 12, 48, 32], numClasses);

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

    private Tensor Features(Tensor x) =>
        functional.adaptive_avg_pool2d(functional.relu(features.forward(x)), 1).flatten(1);

    private static Sequential Transition(long inputFeatures, long outputFeatures) => Sequential(
        ("norm", new RootedBatchNorm2d(inputFeatures)),
        ("relu", ReLU()),
        ("conv", Conv2d(inputFeatures, outputFeatures, 1, bias: false)),
        ("pool", AvgPool2d(2, stride: 2)));

    private void InitLikeTorchvision()
    {
        // torchvision: kaiming-normal convs (fan-in), BN weight 1 / bias 0 (already TorchSharp's default), zero
        // classifier bias.
        using var noGrad = no_grad();
        foreach (var (_, module) in named_modules())
        {
            if (module is Conv2d conv)
            {
                init.kaiming_normal_(conv.weight);
            }
        }

        init.zeros_(classifier.bias);
    }
}
