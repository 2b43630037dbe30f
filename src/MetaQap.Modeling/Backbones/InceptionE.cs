using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MetaQap.Modeling.Backbones;

/// <summary>Inception-v3's InceptionE (Mixed_7b, 7c): expanded filter bank with split 1×3 / 3×1 outputs.</summary>
internal sealed class InceptionE : Module<Tensor, Tensor>
{
    private readonly BasicConv2d branch1x1;
    private readonly BasicConv2d branch3x3_1;
    private readonly BasicConv2d branch3x3_2a;
    private readonly BasicConv2d branch3x3_2b;
    private readonly BasicConv2d branch3x3dbl_1;
    private readonly BasicConv2d branch3x3dbl_2;
    private readonly BasicConv2d branch3x3dbl_3a;
    private readonly BasicConv2d branch3x3dbl_3b;
    private readonly BasicConv2d branch_pool;

    public InceptionE(long inChannels)
        : base(nameof(InceptionE))
    {
        branch1x1 = new BasicConv2d(inChannels, 320, 1);
        branch3x3_1 = new BasicConv2d(inChannels, 384, 1);
        branch3x3_2a = new BasicConv2d(384, 384, (1, 3), (0, 1));
        branch3x3_2b = new BasicConv2d(384, 384, (3, 1), (1, 0));
        branch3x3dbl_1 = new BasicConv2d(inChannels, 448, 1);
        branch3x3dbl_2 = new BasicConv2d(448, 384, 3, padding: 1);
        branch3x3dbl_3a = new BasicConv2d(384, 384, (1, 3), (0, 1));
        branch3x3dbl_3b = new BasicConv2d(384, 384, (3, 1), (1, 0));
        branch_pool = new BasicConv2d(inChannels, 192, 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var b1 = branch1x1.forward(x);
        var b3 = branch3x3_1.forward(x);
        b3 = cat([branch3x3_2a.forward(b3), branch3x3_2b.forward(b3)], 1);
        var dbl = branch3x3dbl_2.forward(branch3x3dbl_1.forward(x));
        dbl = cat([branch3x3dbl_3a.forward(dbl), branch3x3dbl_3b.forward(dbl)], 1);
        var pool = branch_pool.forward(functional.avg_pool2d(x, 3, stride: 1, padding: 1));
        return cat([b1, b3, dbl, pool], 1).MoveToOuterDisposeScope();
    }
}
