using MetaQap.Modeling.Backbones;
using MetaQap.Modeling.Tests.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace MetaQap.Modeling.Tests.Backbones;

/// <summary>
/// The residual sums every backbone block uses must survive garbage collections during the native call: TorchSharp's
/// implicit alpha Scalar of <c>a + b</c> does not (about 1 failure in 18,000 calls under this test's collector thread).
/// </summary>
public sealed class ResidualTests
{
    [Fact]
    public void Residual_sums_never_read_a_collected_scalar()
    {
        using var a = ones(4, 4);
        using var b = ones(4, 4);
        var errors = ForcedCollections.Run(150_000, () =>
        {
            using Tensor sum = Residual.Add(a, b);
            using Tensor copy = a.clone();
            using Tensor inPlace = Residual.AddInPlace(copy, b);
        });
        Assert.Empty(errors);
    }

    [Fact]
    public void Residual_sums_add()
    {
        using var a = tensor(new float[] { 1, 2, 3 });
        using var b = tensor(new float[] { 10, 20, 30 });
        using Tensor sum = Residual.Add(a, b);
        Assert.Equal(new float[] { 11, 22, 33 }, sum.data<float>().ToArray());
        Assert.Equal(new float[] { 1, 2, 3 }, a.data<float>().ToArray());

        using Tensor inPlace = Residual.AddInPlace(a, b);
        Assert.Equal(new float[] { 11, 22, 33 }, a.data<float>().ToArray());
    }
}
