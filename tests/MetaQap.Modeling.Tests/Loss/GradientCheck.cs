using TorchSharp;
using static TorchSharp.torch;

namespace MetaQap.Modeling.Tests.Loss;

/// <summary>Compares autograd gradients with central finite differences, in float64.</summary>
internal static class GradientCheck
{
    /// <summary>
    /// ‖g_autograd − g_numeric‖ / ‖g_numeric‖ for a scalar function at <paramref name="point"/>, with central
    /// differences of step <paramref name="step"/> (error O(step²) + O(1e-16 / step)).
    /// </summary>
    public static double RelativeError(Func<Tensor, Tensor> scalarFunction, double[] point, double step = 1e-6)
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.tensor(point, dtype: ScalarType.Float64, requires_grad: true);
        scalarFunction(x).backward();
        var analytic = x.grad!.data<double>().ToArray();

        var numeric = new double[point.Length];
        using (torch.no_grad())
        {
            for (var i = 0; i < point.Length; i++)
            {
                numeric[i] = (Evaluate(scalarFunction, point, i, step) - Evaluate(scalarFunction, point, i, -step)) / (2 * step);
            }
        }

        double difference = 0, norm = 0;
        for (var i = 0; i < point.Length; i++)
        {
            difference += (analytic[i] - numeric[i]) * (analytic[i] - numeric[i]);
            norm += numeric[i] * numeric[i];
        }

        Assert.True(norm > 0, "The numeric gradient is zero, so the check would prove nothing.");
        return Math.Sqrt(difference / norm);
    }

    private static double Evaluate(Func<Tensor, Tensor> scalarFunction, double[] point, int index, double offset)
    {
        var shifted = (double[])point.Clone();
        shifted[index] += offset;
        using var scope = torch.NewDisposeScope();
        return scalarFunction(torch.tensor(shifted, dtype: ScalarType.Float64)).item<double>();
    }
}
