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
                case BatchNorm2d bn:
                    init.ones_(bn.weight);
                    init.zeros_(bn.bias);
                    break;
            }
        }
    }
}
