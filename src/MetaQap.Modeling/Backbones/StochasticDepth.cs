using MetaQap.Modeling.Runtime;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MetaQap.Modeling.Backbones;

/// <summary>
/// torchvision.ops.StochasticDepth in "row" mode: while training, drops a residual branch for whole samples with
/// probability p and rescales the survivors; the identity in eval mode.
/// </summary>
internal sealed class StochasticDepth : Module<Tensor, Tensor>
{
    private readonly double _probability;

    public StochasticDepth(double probability)
        : base(nameof(StochasticDepth))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(probability, 0.0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(probability, 1.0);
        _probability = probability;
    }

    public override Tensor forward(Tensor input)
    {
        if (!training || _probability == 0.0)
        {
            return input.alias();
        }

        double survival = 1.0 - _probability;
        var shape = new long[input.dim()];
        Array.Fill(shape, 1L);
        shape[0] = input.shape[0];
        using var keep = empty(shape, input.dtype, input.device).bernoulli_(survival);
        if (survival > 0.0)
        {
            keep.DividedByInPlace(survival);
        }

        return input * keep;
    }
}
