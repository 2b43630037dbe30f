using TorchSharp;
using static TorchSharp.torch;

namespace MetaQap.Modeling.Tests.Runtime;

/// <summary>
/// Guards the build step that makes libLibTorchSharp.so loadable on Debian 12 (build/LibTorchSharp.Glibcxx.targets).
/// </summary>
public sealed class LibTorchLoadingTests
{
    [Fact]
    public void Libtorch_loads_and_multiplies_matrices()
    {
        using var a = tensor(new float[] { 1, 2, 3, 4 }, 2, 2);
        using var b = tensor(new float[] { 5, 6, 7, 8 }, 2, 2);
        using var c = a.matmul(b);

        Assert.Equal(new float[] { 19, 22, 43, 50 }, c.data<float>().ToArray());
    }

    [Fact]
    public void Libtorch_runs_a_convolution_with_autograd()
    {
        using var conv = nn.Conv2d(3, 4, 3, padding: 1);
        using var x = randn(2, 3, 8, 8, requires_grad: true);
        using var y = conv.forward(x).sum();
        y.backward();

        Assert.NotNull(x.grad);
        Assert.Equal(new long[] { 2, 3, 8, 8 }, x.grad!.shape);
    }
}
