using static TorchSharp.torch.nn;

namespace MetaQap.Modeling.Backbones;

/// <summary>
/// What every scoring path does to a network in eval mode before running it: BatchNorms folded into their
/// convolutions (<see cref="BatchNormFolding"/>), then convolution weights stored channels-last
/// (<see cref="ChannelsLast"/>), so that the folding's new weights are the ones re-laid. Same outputs up to float
/// rounding; the parameters are no longer the trained state dict, so weights are saved before, never after.
/// </summary>
public static class InferencePreparation
{
    /// <exception cref="InvalidOperationException"><paramref name="root"/> is in training mode.</exception>
    public static void Apply(Module root)
    {
        BatchNormFolding.FoldAll(root);
        ChannelsLast.ConvertConvWeights(root);
    }
}
