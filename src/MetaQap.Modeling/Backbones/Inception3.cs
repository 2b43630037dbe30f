using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MetaQap.Modeling.Backbones;

/// <summary>
/// torchvision's Inception-v3 (transform_input=False) with identical state-dict keys (Conv2d_1a_3x3.conv.weight,
/// Mixed_6b.branch7x7_2.bn.running_var, AuxLogits.fc.weight, fc.weight …). Designed for 299×299 inputs. The
/// auxiliary classifier exists only with auxLogits (ImageNet weights include it) and only runs while training.
/// </summary>
public sealed class Inception3 : Module<Tensor, Tensor>, IBackbone
{
    private readonly BasicConv2d Conv2d_1a_3x3;
    private readonly BasicConv2d Conv2d_2a_3x3;
    private readonly BasicConv2d Conv2d_2b_3x3;
    private readonly MaxPool2d maxpool1;
    private readonly BasicConv2d Conv2d_3b_1x1;
    private readonly BasicConv2d Conv2d_4a_3x3;
    private readonly MaxPool2d maxpool2;
    private readonly InceptionA Mixed_5b;
    private readonly InceptionA Mixed_5c;
    private readonly InceptionA Mixed_5d;
    private readonly InceptionB Mixed_6a;
    private readonly InceptionC Mixed_6b;
    private readonly InceptionC Mixed_6c;
    private readonly InceptionC Mixed_6d;
    private readonly InceptionC Mixed_6e;
    private readonly InceptionAux? AuxLogits;
    private readonly InceptionD Mixed_7a;
    private readonly InceptionE Mixed_7b;
    private readonly InceptionE Mixed_7c;
    private readonly AdaptiveAvgPool2d avgpool;
    private readonly Dropout dropout;
    private readonly Linear fc;

    private Inception3(int numClasses, bool auxLogits, double dropoutProbability)
        : base(nameof(Inception3))
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(numClasses);
        Conv2d_1a_3x3 = new BasicConv2d(3, 32, 3, stride: 2);
        Conv2d_2a_3x3 = new BasicConv2d(32, 32, 3);
        Conv2d_2b_3x3 = new BasicConv2d(32, 64, 3, padding: 1);
        maxpool1 = MaxPool2d(3, stride: 2);
        Conv2d_3b_1x1 = new BasicConv2d(64, 80, 1);
        Conv2d_4a_3x3 = new BasicConv2d(80, 192, 3);
        maxpool2 = MaxPool2d(3, stride: 2);
        Mixed_5b = new InceptionA(192, 32);
        Mixed_5c = new InceptionA(256, 64);
        Mixed_5d = new InceptionA(288, 64);
        Mixed_6a = new InceptionB(288);
        Mixed_6b = new InceptionC(768, 128);
        Mixed_6c = new InceptionC(768, 160);
        Mixed_6d = new InceptionC(768, 160);
        Mixed_6e = new InceptionC(768, 192);
        AuxLogits = auxLogits ? new InceptionAux(768, numClasses) : null;
        Mixed_7a = new InceptionD(768);
        Mixed_7b = new InceptionE(1280);
        Mixed_7c = new InceptionE(2048);
        avgpool = AdaptiveAvgPool2d(1);
        dropout = Dropout(dropoutProbability);
        fc = Linear(2048, numClasses);
        RegisterComponents();
        InitLikeTorchvision();
    }

    public string Architecture => "inception_v3";

    public int FeatureCount => 2048;

    public int DefaultInputSize => 299;

    public bool HasAuxLogits => AuxLogits is not null;

    public static Inception3 inception_v3(int numClasses = 1000, bool auxLogits = true) => new(numClasses, auxLogits, 0.5);

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return fc.forward(dropout.forward(Features(input, computeAux: false).Features)).MoveToOuterDisposeScope();
    }

    /// <summary>Logits plus, while training with auxLogits, the auxiliary logits (null otherwise).</summary>
    public (Tensor Logits, Tensor? Aux) ForwardWithAux(Tensor input)
    {
        using var scope = NewDisposeScope();
        var (features, aux) = Features(input, computeAux: true);
        var logits = fc.forward(dropout.forward(features));
        return (logits.MoveToOuterDisposeScope(), aux?.MoveToOuterDisposeScope());
    }

    public Tensor ForwardFeatures(Tensor images)
    {
        using var scope = NewDisposeScope();
        return Features(images, computeAux: false).Features.MoveToOuterDisposeScope();
    }

    private (Tensor Features, Tensor? Aux) Features(Tensor x, bool computeAux)
    {
        x = Conv2d_2b_3x3.forward(Conv2d_2a_3x3.forward(Conv2d_1a_3x3.forward(x)));
        x = Conv2d_4a_3x3.forward(Conv2d_3b_1x1.forward(maxpool1.forward(x)));
        x = Mixed_5d.forward(Mixed_5c.forward(Mixed_5b.forward(maxpool2.forward(x))));
        x = Mixed_6e.forward(Mixed_6d.forward(Mixed_6c.forward(Mixed_6b.forward(Mixed_6a.forward(x)))));
        var aux = computeAux && training ? AuxLogits?.forward(x) : null;
        x = Mixed_7c.forward(Mixed_7b.forward(Mixed_7a.forward(x)));
        return (avgpool.forward(x).flatten(1), aux);
    }

    private void InitLikeTorchvision()
    {
        // torchvision: normal truncated to ±2 (absolute) for every conv and linear weight, σ = 0.1 except the auxiliary
        // classifier's conv1 (0.01) and fc (0.001); BatchNorm weight 1 / bias 0 (TorchSharp's default already).
        using var noGrad = no_grad();
        foreach (var (_, module) in named_modules())
        {
            if (module is BasicConv2d basic)
            {
                WeightInit.TruncatedNormal(basic.Conv.weight!, 0.0, basic.InitStd, -2.0, 2.0);
            }
        }

        WeightInit.TruncatedNormal(fc.weight!, 0.0, 0.1, -2.0, 2.0);
        if (AuxLogits is not null)
        {
            WeightInit.TruncatedNormal(AuxLogits.Fc.weight!, 0.0, 0.001, -2.0, 2.0);
        }
    }
}
