using System.Diagnostics;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MetaQap.Modeling.Backbones;

/// <summary>A quick inference-speed probe (eval, no_grad, random input) for reports, not for assertions.</summary>
public static class BackboneThroughput
{
    /// <summary>
    /// Images per second of forward passes at <paramref name="batch"/>×3×size×size after one warm-up pass: the best
    /// of <paramref name="windows"/> timing windows sharing <paramref name="duration"/>, because on a shared machine
    /// the fastest window is the least disturbed one.
    /// </summary>
    public static double Measure(Module<Tensor, Tensor> model, int batch, int size, TimeSpan duration, int windows = 20, int seed = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batch);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(windows);
        model.eval();
        using var noGrad = no_grad();
        using var generator = new Generator((ulong)seed);
        using var input = randn([batch, 3, size, size], generator: generator);
        model.forward(input).Dispose();

        var window = duration / windows;
        double best = 0;
        for (int w = 0; w < windows; w++)
        {
            long images = 0;
            var clock = Stopwatch.StartNew();
            do
            {
                model.forward(input).Dispose();
                images += batch;
            }
            while (clock.Elapsed < window);

            best = Math.Max(best, images / clock.Elapsed.TotalSeconds);
        }

        return best;
    }

    /// <summary>
    /// GFLOP/s (2 per multiply-accumulate) of float32 <paramref name="n"/>×<paramref name="n"/> matrix products at
    /// torch's current thread count, the best of <paramref name="windows"/> windows: the practical ceiling of this CPU
    /// for dense arithmetic, against which a network's own GFLOP/s says how much faster it could still get.
    /// </summary>
    public static double MatmulGflops(int n, TimeSpan duration, int windows = 10, int seed = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(windows);
        using var noGrad = no_grad();
        using var generator = new Generator((ulong)seed);
        using var a = randn([n, n], generator: generator);
        using var b = randn([n, n], generator: generator);
        mm(a, b).Dispose();

        var window = duration / windows;
        double best = 0;
        for (int w = 0; w < windows; w++)
        {
            long products = 0;
            var clock = Stopwatch.StartNew();
            do
            {
                mm(a, b).Dispose();
                products++;
            }
            while (clock.Elapsed < window);

            best = Math.Max(best, products * 2.0 * n * n * n / clock.Elapsed.TotalSeconds / 1e9);
        }

        return best;
    }
}
