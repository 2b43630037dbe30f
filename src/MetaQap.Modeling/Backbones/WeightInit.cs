using MetaQap.Modeling.Runtime;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MetaQap.Modeling.Backbones;

/// <summary>The per-family initialisation schemes of torchvision, applied over all submodules.</summary>
internal static class WeightInit
{
    /// <summary>Convs kaiming-normal (fan-out, ReLU gain) with zero bias; BatchNorm weight 1, bias 0.</summary>
    public static void KaimingFanOutConvs(Module root)
    {
        using var noGrad = no_grad();
        foreach (var (_, module) in root.named_modules())
        {
            switch (module)
            {
                case Conv2d conv:
                    init.kaiming_normal_(conv.weight, mode: init.FanInOut.FanOut, nonlinearity: init.NonlinearityType.ReLU);
                    if (conv.bias is not null)
                    {
                        init.zeros_(conv.bias);
                    }

                    break;
                case RootedBatchNorm2d bn:
                    init.ones_(bn.weight);
                    init.zeros_(bn.bias);
                    break;
            }
        }
    }

    /// <summary>Every Linear under <paramref name="root"/>: weights by <paramref name="initWeight"/>, zero bias.</summary>
    public static void Linears(Module root, Action<Tensor> initWeight)
    {
        using var noGrad = no_grad();
        foreach (var (_, module) in root.named_modules())
        {
            if (module is Linear linear)
            {
                initWeight(linear.weight!);
                init.zeros_(linear.bias!);
            }
        }
    }

    /// <summary>
    /// N(<paramref name="mean"/>, <paramref name="std"/>²) truncated to [<paramref name="low"/>, <paramref name="high"/>]
    /// (absolute bounds, as torch.nn.init.trunc_normal_), by redrawing the values outside. TorchSharp's
    /// init.trunc_normal_ inverts the normal CDF, which for bounds 20σ out (torchvision's Inception-v3: σ = 0.1,
    /// bounds ±2) rounds to erfinv(±1) and leaves NaN weights.
    /// </summary>
    public static void TruncatedNormal(Tensor weight, double mean, double std, double low, double high)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(high, low);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        weight.normal_(mean, std);
        for (Tensor outside = weight.LessThan(low).logical_or_(weight.GreaterThan(high)); outside.any().item<bool>();
             outside = weight.LessThan(low).logical_or_(weight.GreaterThan(high)))
        {
            weight.copy_(where(outside, randn_like(weight).TimesInPlace(std).PlusInPlace(mean), weight));
        }
    }
}
