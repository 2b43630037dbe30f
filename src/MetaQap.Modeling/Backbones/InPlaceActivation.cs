using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MetaQap.Modeling.Backbones;

/// <summary>
/// The inference path's activations, applied in place on a tensor the caller owns and no longer needs (a conv's
/// fresh output): one allocation and one pass over the activation fewer than an out-of-place module call. Used only
/// once BatchNorm is folded, i.e. never while training, where autograd may need the input.
/// </summary>
internal static class InPlaceActivation
{
    /// <summary>
    /// <paramref name="activation"/>(<paramref name="owned"/>), written into <paramref name="owned"/> where the
    /// activation has an in-place form; otherwise computed out of place, and <paramref name="owned"/> is disposed.
    /// </summary>
    public static Tensor Apply(nn.Module<Tensor, Tensor> activation, Tensor owned)
    {
        switch (activation)
        {
            case ReLU:
                return owned.relu_();
            case Hardswish:
                return owned.hardswish_();
            case Hardsigmoid:
                return owned.hardsigmoid_();
            case SiLU:
                return owned.silu_();
            default:
                using (owned)
                {
                    return activation.forward(owned);
                }
        }
    }
}
