using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MetaQap.Modeling.Backbones;

/// <summary>Inception-v3's auxiliary classifier on the 17×17 grid (keys AuxLogits.conv0, conv1, fc).</summary>
internal sealed class InceptionAux : Module<Tensor, Tensor>
{
    private readonly BasicConv2d conv0;
    private readonly BasicConv2d conv1;
    private readonly Linear fc;

    public InceptionAux(long inChannels, int numClasses)
        : base(nameof(InceptionAux))
    {
        conv0 = new BasicConv2d(inChannels, 128, 1);
        conv1 = new BasicConv2d(128, 768, 5) { InitStd = 0.01 };
        fc = Linear(768, numClasses);
        RegisterComponents();
    }

    public Linear Fc => fc;

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = conv1.forward(conv0.forward(functional.avg_pool2d(x, 5, stride: 3)));
        return fc.forward(functional.adaptive_avg_pool2d(y, 1).flatten(1)).MoveToOuterDisposeScope();
    }
}
