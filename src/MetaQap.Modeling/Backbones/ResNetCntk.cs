using MetaQap.Modeling.Runtime;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MetaQap.Modeling.Backbones;

/// <summary>
/// The ImageNet ResNet of the NuGet package <c>Microsoft.ML.DnnImageFeaturizer.ResNet18</c> (exported by CNTK 2.6),
/// rebuilt faithfully to its ONNX graph so its weights load as they are (<see cref="ImageNet.CntkResNetImport"/>):
/// stages of 2, 2, 2 and 3 BasicBlocks (one more in the last stage than torchvision's resnet18), 64/128/256/512
/// channels, 1×1 projection shortcuts with BatchNorm, and CNTK's "same" padding, which is asymmetric for strided
/// layers: the 7×7 stem pads 3 rows/columns at the top/left and 2 at the bottom/right, every stride-2 3×3 conv and
/// the 3×3 max-pool pad 1 at the top/left and none at the bottom/right. State-dict keys follow torchvision's
/// ResNet (conv1, bn1, layer1.0.conv1 …, layer4.2.bn2, layerN.0.downsample.0/1); there is no classifier.
/// <para>
/// Input: RGB, (pixel − mean) with pixels in 0–255 and the per-channel mean of the package's mean image
/// (<see cref="MeanRgb255"/>; the package's preprocessing subtracts a 224×224 mean image, which cannot follow other
/// sizes). The import swaps conv1's input channels, so the network takes RGB although CNTK trained it on BGR.
/// The strided layers halve even sides exactly; any other side would break the residual sums, so an input whose
/// height or width is not a multiple of 32 is centre-cropped to the largest multiple of 32 (at least 32).
/// </para>
/// <para>
/// Features: <c>resnet18_cntk</c> gives the 512-d global average of the last stage; <c>resnet18_cntk_ms</c> the
/// multi-level vector, the spatial mean and standard deviation of each stage's output (2 × (64 + 128 + 256 + 512) =
/// 1,920 values); <c>resnet18_cntk_blocks</c> the same statistics of all ten maps, the stem's and every block's
/// (4,992 values). All are square-rooted (all are ≥ 0 after the ReLUs; +1e-6 keeps the gradient finite), which
/// evens out their heavy-tailed distributions for a linear head. The same weights load into all three.
/// </para>
/// </summary>
public sealed class ResNetCntk : Module<Tensor, Tensor>, IBackbone, IBatchNormFoldable
{
    /// <summary>Indices in <see cref="ForwardBlocks"/>'s list of the four stages' outputs.</summary>
    public static readonly int[] StageBlocks = [2, 4, 6, 9];

    /// <summary>Channels of each map <see cref="ForwardBlocks"/> returns.</summary>
    public static readonly int[] BlockChannels = [64, 64, 64, 128, 128, 256, 256, 512, 512, 512];

    /// <summary>Per-channel mean (R, G, B) of the package's 224×224 mean image, in 0–255 pixel units (float64 average).</summary>
    public static readonly double[] MeanRgb255 = [123.1516307762691, 115.90288236463556, 103.06262401521815];

    /// <summary>Channels of the four stages' outputs.</summary>
    public static readonly int[] StageChannels = [64, 128, 256, 512];

    /// <summary>BasicBlocks per stage (torchvision's resnet18 has 2 in the last).</summary>
    public static readonly int[] StageDepths = [2, 2, 2, 3];

    /// <summary>Multiple that input sides are cropped to.</summary>
    public const int SideMultiple = 32;

    private const double SqrtEpsilon = 1e-6;

    private readonly Conv2d conv1;
    private readonly RootedBatchNorm2d bn1;
    private readonly MaxPool2d maxpool;
    private readonly Sequential layer1;
    private readonly Sequential layer2;
    private readonly Sequential layer3;
    private readonly Sequential layer4;
    private readonly int[]? _maps;
    private bool _folded;

    /// <param name="maps">Indices into <see cref="ForwardBlocks"/>'s maps whose statistics are the features; null: the pooled last stage.</param>
    private ResNetCntk(string architecture, int[]? maps)
        : base(nameof(ResNetCntk))
    {
        Architecture = architecture;
        _maps = maps;
        FeatureCount = maps is null ? StageChannels[^1] : 2 * maps.Sum(m => BlockChannels[m]);
        conv1 = Conv2d(3, 64, 7, stride: 2, padding: 0L, bias: false);
        bn1 = new RootedBatchNorm2d(64);
        maxpool = MaxPool2d(3, stride: 2);
        long inplanes = 64;
        layer1 = MakeLayer(ref inplanes, 64, StageDepths[0], 1);
        layer2 = MakeLayer(ref inplanes, 128, StageDepths[1], 2);
        layer3 = MakeLayer(ref inplanes, 256, StageDepths[2], 2);
        layer4 = MakeLayer(ref inplanes, 512, StageDepths[3], 2);
        RegisterComponents();
        WeightInit.KaimingFanOutConvs(this);
    }

    public string Architecture { get; }

    public int FeatureCount { get; }

    public int DefaultInputSize => 224;

    /// <summary>Pooled 512-d features.</summary>
    public static ResNetCntk resnet18_cntk() => new("resnet18_cntk", MapsOf("resnet18_cntk"));

    /// <summary>Multi-level 1,920-d features (per-stage spatial mean and std).</summary>
    public static ResNetCntk resnet18_cntk_ms() => new("resnet18_cntk_ms", MapsOf("resnet18_cntk_ms"));

    /// <summary>Multi-level 4,992-d features of the stem and all nine blocks.</summary>
    public static ResNetCntk resnet18_cntk_blocks() => new("resnet18_cntk_blocks", MapsOf("resnet18_cntk_blocks"));

    /// <summary>The feature maps of a variant by name (null: the pooled last stage).</summary>
    /// <exception cref="ArgumentException">Not a resnet18_cntk variant.</exception>
    public static int[]? MapsOf(string architecture) => architecture switch
    {
        "resnet18_cntk" => null,
        "resnet18_cntk_ms" => StageBlocks,
        "resnet18_cntk_blocks" => [.. Enumerable.Range(0, BlockChannels.Length)],
        _ => throw new ArgumentException($"'{architecture}' is not a resnet18_cntk variant.", nameof(architecture)),
    };

    /// <summary>The maps whose statistics are this variant's features (<see cref="ForwardBlocks"/> indices); null: pooled last stage.</summary>
    public IReadOnlyList<int>? FeatureMaps => _maps;

    public override Tensor forward(Tensor input) => ForwardFeatures(input);

    public Tensor ForwardFeatures(Tensor images)
    {
        using var scope = NewDisposeScope();
        return FeaturesOf(Blocks(images)).MoveToOuterDisposeScope();
    }

    /// <summary>This variant's features from <see cref="ForwardBlocks"/>'s maps (computed once for several heads).</summary>
    public Tensor FeaturesOf(IReadOnlyList<Tensor> blocks)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        return _maps is null ? Pooled(blocks[^1]) : MultiLevel([.. _maps.Select(m => blocks[m])]);
    }

    /// <summary>The four stages' outputs [N, C_s, H/4…H/32, W/4…W/32] of (cropped) normalised images.</summary>
    public Tensor[] ForwardStages(Tensor images)
    {
        using var scope = NewDisposeScope();
        return MoveOut(Stages(images));
    }

    /// <summary>
    /// The multi-level vector of feature maps (the four stages', or any list): per map the spatial mean, then the
    /// spatial standard deviation, each channel's square-rooted.
    /// </summary>
    public static Tensor MultiLevel(IReadOnlyList<Tensor> maps)
    {
        ArgumentNullException.ThrowIfNull(maps);
        using var scope = NewDisposeScope();
        var parts = new List<Tensor>(2 * maps.Count);
        foreach (Tensor s in maps)
        {
            Tensor flat = s.flatten(2);
            parts.Add(flat.mean([2]));
            parts.Add(flat.std(2, unbiased: false));
        }

        return cat(parts, 1).Plus(SqrtEpsilon).sqrt().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Where a variant's features sit in <see cref="MultiLevel"/> of all ten maps (map m contributes its C_m channel
    /// means, then its C_m standard deviations): the columns that give <see cref="FeaturesOf"/>, in its order. The pooled
    /// variant is the last block's channel means, the first half of that block's statistics.
    /// </summary>
    public static int[] StatisticColumns(string architecture) => MapsOf(architecture) is { } maps
        ? StatisticColumns(maps)
        : [.. StatisticColumns([BlockChannels.Length - 1]).Take(StageChannels[^1])];

    /// <summary>Columns of the given maps' statistics in <see cref="MultiLevel"/> of all ten maps, in the given map order.</summary>
    public static int[] StatisticColumns(IReadOnlyList<int> maps)
    {
        ArgumentNullException.ThrowIfNull(maps);
        var offsets = new int[BlockChannels.Length];
        for (int m = 1; m < offsets.Length; m++)
        {
            offsets[m] = offsets[m - 1] + (2 * BlockChannels[m - 1]);
        }

        var columns = new List<int>();
        foreach (int m in maps)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(m);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(m, offsets.Length);
            columns.AddRange(Enumerable.Range(offsets[m], 2 * BlockChannels[m]));
        }

        return [.. columns];
    }

    /// <summary>Square-rooted global average of the last stage.</summary>
    public static Tensor Pooled(Tensor lastStage)
    {
        ArgumentNullException.ThrowIfNull(lastStage);
        using var scope = NewDisposeScope();
        return lastStage.flatten(2).mean([2]).Plus(SqrtEpsilon).sqrt().MoveToOuterDisposeScope();
    }

    /// <summary>The centre crop of <paramref name="images"/> to sides that are multiples of <see cref="SideMultiple"/>.</summary>
    public static Tensor CropToMultiple(Tensor images)
    {
        ArgumentNullException.ThrowIfNull(images);
        long h = images.shape[2], w = images.shape[3];
        if (h < SideMultiple || w < SideMultiple)
        {
            throw new ArgumentException($"Input is {w}x{h}; resnet18_cntk needs at least {SideMultiple}x{SideMultiple}.", nameof(images));
        }

        long ch = h / SideMultiple * SideMultiple, cw = w / SideMultiple * SideMultiple;
        if (ch == h && cw == w)
        {
            return images.alias();
        }

        return images.narrow(2, (h - ch) / 2, ch).narrow(3, (w - cw) / 2, cw);
    }

    /// <summary>
    /// Multiply-accumulates of the convolutions for one image of <paramref name="height"/>×<paramref name="width"/>
    /// (after the crop to multiples of 32; BatchNorm folded, so it adds nothing). Everything else (ReLU, residual sums,
    /// max-pool, statistics) is a few per cent of memory traffic and no multiply-accumulate: this is the work a CPU's
    /// FMA units must do, which bounds how fast any implementation can run the network (`metaqap imagenet bench`).
    /// </summary>
    public static long MultiplyAccumulates(long height, long width)
    {
        if (height < SideMultiple || width < SideMultiple)
        {
            throw new ArgumentException($"Input is {width}x{height}; resnet18_cntk needs at least {SideMultiple}x{SideMultiple}.");
        }

        long h = height / SideMultiple * SideMultiple, w = width / SideMultiple * SideMultiple;
        long total = (h / 2) * (w / 2) * 64 * 3 * 7 * 7;
        long inChannels = 64;
        for (int s = 0; s < StageChannels.Length; s++)
        {
            long c = StageChannels[s];
            long scale = 4L << s; // stride of the stage's maps: 4, 8, 16, 32
            long positions = (h / scale) * (w / scale);
            for (int b = 0; b < StageDepths[s]; b++)
            {
                long cin = b == 0 ? inChannels : c;
                total += positions * (cin * c * 9 + c * c * 9);
                if (b == 0 && cin != c)
                {
                    total += positions * cin * c; // the 1×1 projection shortcut
                }
            }

            inChannels = c;
        }

        return total;
    }

    void IBatchNormFoldable.FoldBatchNorm()
    {
        if (!_folded)
        {
            BatchNormFolding.Fold(conv1, bn1);
            _folded = true;
        }
    }

    private Tensor[] Stages(Tensor images)
    {
        Tensor[] blocks = Blocks(images);
        return [.. StageBlocks.Select(i => blocks[i])];
    }

    /// <summary>The stem's output (after the max-pool) and every BasicBlock's output, in order: 10 maps.</summary>
    public Tensor[] ForwardBlocks(Tensor images)
    {
        using var scope = NewDisposeScope();
        return MoveOut(Blocks(images));
    }

    private static Tensor[] MoveOut(Tensor[] maps)
    {
        foreach (Tensor map in maps)
        {
            map.MoveToOuterDisposeScope();
        }

        return maps;
    }

    private Tensor[] Blocks(Tensor images)
    {
        Tensor x = CropToMultiple(images);
        Tensor stem = conv1.forward(functional.pad(x, CntkPadding.Stem7x7));
        stem = _folded ? stem.relu_() : functional.relu(bn1.forward(stem));
        // Zero padding equals ONNX's (−∞) max-pool padding here: every value is ≥ 0 after the ReLU.
        x = maxpool.forward(functional.pad(stem, CntkPadding.StrideTwo3x3));
        var outputs = new List<Tensor>(10) { x };
        foreach (Sequential layer in new[] { layer1, layer2, layer3, layer4 })
        {
            foreach (var block in layer.children())
            {
                x = ((Module<Tensor, Tensor>)block).forward(x);
                outputs.Add(x);
            }
        }

        return [.. outputs];
    }

    private static Sequential MakeLayer(ref long inplanes, long planes, int blocks, long stride)
    {
        Module<Tensor, Tensor>? downsample = null;
        if (stride != 1 || inplanes != planes)
        {
            // 1×1 stride-2 convs need no padding: they read the even-indexed pixels, as CNTK's do.
            downsample = ConvNormActivation.Create(inplanes, planes, 1, null, BatchNormSettings.PyTorchDefault, stride: stride);
        }

        var layers = new List<Module<Tensor, Tensor>>(blocks);
        for (int i = 0; i < blocks; i++)
        {
            layers.Add(new BasicBlock(inplanes, planes, i == 0 ? stride : 1, i == 0 ? downsample : null, cntkSamePadding: true));
            inplanes = planes;
        }

        return Sequential(layers);
    }
}

/// <summary>CNTK's asymmetric "same" padding as <c>functional.pad</c> arguments (left, right, top, bottom).</summary>
internal static class CntkPadding
{
    public static readonly long[] Stem7x7 = [3, 2, 3, 2];

    public static readonly long[] StrideTwo3x3 = [1, 0, 1, 0];
}
