using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MetaQap.Modeling.Backbones;

/// <summary>
/// torchvision's ResNet (v1.5), with state-dict keys identical to torchvision 0.14 (conv1, bn1, layer1.0.conv1,
/// layer2.0.downsample.1.running_mean, fc …). Besides resnet18/resnet50 it offers resnet10_w32, a CPU-sized member
/// of the same family: one BasicBlock per stage and half the width (32/64/128/256 channels, ≈1.2 M parameters,
/// ≈0.25 GFLOPs at 224²; torchvision has no such preset, tools/parity builds it from torchvision's own blocks).
/// </summary>
public sealed class ResNet : Module<Tensor, Tensor>, IBackbone, IBatchNormFoldable
{
    private readonly Conv2d conv1;
    private readonly RootedBatchNorm2d bn1;
    private readonly MaxPool2d maxpool;
    private readonly Sequential layer1;
    private readonly Sequential layer2;
    private readonly Sequential layer3;
    private readonly Sequential layer4;
    private readonly AdaptiveAvgPool2d avgpool;
    private readonly Linear fc;
    private bool _folded;

    private ResNet(string architecture, bool bottleneck, int[] blocksPerStage, int width, int numClasses)
        : base(nameof(ResNet))
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(numClasses);
        Architecture = architecture;
        int expansion = bottleneck ? Bottleneck.Expansion : BasicBlock.Expansion;
        FeatureCount = width * 8 * expansion;

        conv1 = Conv2d(3, width, 7, stride: 2, padding: 3, bias: false);
        bn1 = new RootedBatchNorm2d(width);
        maxpool = MaxPool2d(3, stride: 2, padding: 1);
        long inplanes = width;
        layer1 = MakeLayer(bottleneck, ref inplanes, width, blocksPerStage[0], 1);
        layer2 = MakeLayer(bottleneck, ref inplanes, width * 2, blocksPerStage[1], 2);
        layer3 = MakeLayer(bottleneck, ref inplanes, width * 4, blocksPerStage[2], 2);
        layer4 = MakeLayer(bottleneck, ref inplanes, width * 8, blocksPerStage[3], 2);
        avgpool = AdaptiveAvgPool2d(1);
        fc = Linear(FeatureCount, numClasses);
        RegisterComponents();
        WeightInit.KaimingFanOutConvs(this);
    }

    public string Architecture { get; }

    public int FeatureCount { get; }

    public int DefaultInputSize => 224;

    public static ResNet resnet18(int numClasses = 1000) => new("resnet18", false, [2, 2, 2, 2], 64, numClasses);

    public static ResNet resnet50(int numClasses = 1000) => new("resnet50", true, [3, 4, 6, 3], 64, numClasses);

    public static ResNet resnet10_w32(int numClasses = 1000) => new("resnet10_w32", false, [1, 1, 1, 1], 32, numClasses);

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return fc.forward(Features(input)).MoveToOuterDisposeScope();
    }

    public Tensor ForwardFeatures(Tensor images)
    {
        using var scope = NewDisposeScope();
        return Features(images).MoveToOuterDisposeScope();
    }

    private Tensor Features(Tensor x)
    {
        Tensor stem = conv1.forward(x);
        // Folded (inference only): the BatchNorm is inside conv1 and the ReLU can overwrite conv1's fresh output.
        x = maxpool.forward(_folded ? stem.relu_() : functional.relu(bn1.forward(stem)));
        x = layer4.forward(layer3.forward(layer2.forward(layer1.forward(x))));
        return avgpool.forward(x).flatten(1);
    }

    void IBatchNormFoldable.FoldBatchNorm()
    {
        if (!_folded)
        {
            BatchNormFolding.Fold(conv1, bn1);
            _folded = true;
        }
    }

    private static Sequential MakeLayer(bool bottleneck, ref long inplanes, long planes, int blocks, long stride)
    {
        long outChannels = planes * (bottleneck ? Bottleneck.Expansion : BasicBlock.Expansion);
        Module<Tensor, Tensor>? downsample = null;
        if (stride != 1 || inplanes != outChannels)
        {
            // conv "0" + BatchNorm "1", torchvision's Sequential(conv1x1, norm_layer) keys.
            downsample = ConvNormActivation.Create(inplanes, outChannels, 1, null, BatchNormSettings.PyTorchDefault, stride: stride);
        }

        var layers = new List<Module<Tensor, Tensor>>(blocks);
        for (int i = 0; i < blocks; i++)
        {
            long blockStride = i == 0 ? stride : 1;
            var shortcut = i == 0 ? downsample : null;
            layers.Add(bottleneck
                ? new Bottleneck(inplanes, planes, blockStride, shortcut)
                : new BasicBlock(inplanes, planes, blockStride, shortcut));
            inplanes = outChannels;
        }

        return Sequential(layers);
    }
}
