using System.Diagnostics;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MetaQap.Modeling.Backbones;

/// <summary>A quick inference-speed probe (eval, no_grad, random input) for reports, not for assertions.</summary>
public static class BackboneThroughput
{
    /// <summary>Images per second of forward passes at <paramref name="batch"/>×3×size×size, after one warm-up pass.</summary>
    public static double Measure(Module<Tensor, Tensor> model, int batch, int size, TimeSpan duration, int seed = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batch);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        model.eval();
        using var noGrad = no_grad();
        using var generator = new Generator((ulong)seed);
        using var input = randn([batch, 3, size, size], generator: generator);
        model.forward(input).Dispose();

        long images = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            using var output = model.forward(input);
            images += batch;
        }

        return images / clock.Elapsed.TotalSeconds;
    }
}
