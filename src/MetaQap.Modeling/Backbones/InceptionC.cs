using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MetaQap.Modeling.Backbones;

/// <summary>Inception-v3's InceptionC (Mixed_6b–6e): factorised 7×7 branches (1×7 and 7×1 convs).</summary>
internal sealed class InceptionC : Module<Tensor, Tensor>
{
    private readonly BasicConv2d branch1x1;
    private readonly BasicConv2d branch7x7_1;
    private readonly BasicConv2d branch7x7_2;
    private readonly BasicConv2d branch7x7_3;
    private readonly BasicConv2d branch7x7dbl_1;
    private readonly BasicConv2d branch7x7dbl_2;
    private readonly BasicConv2d branch7x7dbl_3;
    private readonly BasicConv2d branch7x7dbl_4;
    private readonly BasicConv2d branch7x7dbl_5;
    private readonly BasicConv2d branch_pool;

    public InceptionC(long inChannels, long channels7x7)
        : base(nameof(InceptionC))
    {
        long c7 = channels7x7;
        branch1x1 = new BasicConv2d(inChannels, 192, 1);
        branch7x7_1 = new BasicConv2d(inChannels, c7, 1);
        branch7x7_2 = new BasicConv2d(c7, c7, (1, 7), (0, 3));
        branch7x7_3 = new BasicConv2d(c7, 192, (7, 1), (3, 0));
        branch7x7dbl_1 = new BasicConv2d(inChannels, c7, 1);
        branch7x7dbl_2 = new BasicConv2d(c7, c7, (7, 1), (3, 0));
        branch7x7dbl_3 = new BasicConv2d(c7, c7, (1, 7), (0, 3));
        branch7x7dbl_4 = new BasicConv2d(c7, c7, (7, 1), (3, 0));
        branch7x7dbl_5 = new BasicConv2d(c7, 192, (1, 7), (0, 3));
        branch_pool = new BasicConv2d(inChannels, 192, 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var b1 = branch1x1.forward(x);
        var b7 = branch7x7_3.forward(branch7x7_2.forward(branch7x7_1.forward(x)));
        var dbl = branch7x7dbl_1.forward(x);
        dbl = branch7x7dbl_3.forward(branch7x7dbl_2.forward(dbl));
        dbl = branch7x7dbl_5.forward(branch7x7dbl_4.forward(dbl));
        var pool = branch_pool.forward(functional.avg_pool2d(x, 3, stride: 1, padding: 1));
        return cat([b1, b7, dbl, pool], 1).MoveToOuterDisposeScope();
    }
}
