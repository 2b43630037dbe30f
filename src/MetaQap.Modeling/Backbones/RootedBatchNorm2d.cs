using MetaQap.Modeling.Runtime;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace MetaQap.Modeling.Backbones;

/// <summary>
/// BatchNorm over (N, C, H, W), the same module as TorchSharp's <c>BatchNorm2d</c> (same base class, parameters,
/// buffers and state-dict keys, same arithmetic) except for one call in its training step.
/// <para>
/// TorchSharp 0.107's <c>BatchNorm.forward</c> counts the batch with <c>num_batches_tracked.add_(1)</c>: an implicit
/// Scalar for the 1 and another for the alpha inside <c>add_</c>, neither kept alive through the native call, so a
/// garbage collection during it can free what libtorch is about to read (see <see cref="TensorScalars"/>). That made
/// every CNN training step a rare <c>TrainingError</c>. Here the count goes through
/// <see cref="TensorScalars.IncrementInPlace"/>; the normalisation itself is <c>functional.batch_norm</c>, which passes
/// its numbers as doubles and makes no Scalar. <c>src/BannedSymbols.txt</c> bans TorchSharp's BatchNorm2d.
/// </para>
/// </summary>
public sealed class RootedBatchNorm2d : BatchNorm
{
    /// <summary>
    /// <paramref name="features"/> channels, affine, tracking running statistics with <paramref name="momentum"/>
    /// (PyTorch's defaults: eps 1e-5, momentum 0.1).
    /// </summary>
    public RootedBatchNorm2d(long features, double eps = 1e-5, double momentum = 0.1)
        : base(features, eps, momentum, affine: true, track_running_stats: true, device: null, dtype: null, name: "BatchNorm2d")
    {
    }

    /// <summary>PyTorch's <c>_BatchNorm.forward</c>: batch statistics in training, running ones in eval.</summary>
    public override Tensor forward(Tensor input)
    {
        ValidateInputDimensions(input);
        double factor = momentum ?? 0.0;
        if (training && track_running_stats && num_batches_tracked is { } count)
        {
            count.IncrementInPlace();
            factor = momentum ?? 1.0 / count.item<long>();
        }

        bool useBatchStatistics = training || (running_mean is null && running_var is null);
        bool passRunning = !training || track_running_stats;
        return F.batch_norm(
            input,
            passRunning ? running_mean : null,
            passRunning ? running_var : null,
            weight,
            bias,
            useBatchStatistics,
            factor,
            eps);
    }

    protected override void ValidateInputDimensions(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Dimensions != 4)
        {
            throw new ArgumentException($"BatchNorm2d expects a 4-D input (N, C, H, W), got {input.Dimensions}-D.", nameof(input));
        }
    }
}
