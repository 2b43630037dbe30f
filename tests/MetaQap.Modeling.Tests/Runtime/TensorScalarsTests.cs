using MetaQap.Modeling.Features;
using MetaQap.Modeling.Runtime;
using static TorchSharp.torch;

namespace MetaQap.Modeling.Tests.Runtime;

/// <summary>
/// The arithmetic of <see cref="TensorScalars"/> must compute what TorchSharp's operators do and survive garbage
/// collections during the native calls, which TorchSharp's implicit Scalars do not (about 1 failure in 18,000
/// <c>a + b</c> calls under this collector thread, session 3, the residual sums of every backbone block; ridge
/// regression's <c>1 - leverage</c> failed in CI).
/// </summary>
public sealed class TensorScalarsTests
{
    [Fact]
    public void The_helpers_compute_the_operators_results()
    {
        using var a = tensor(new double[] { -1, 0.5, 2 });
        using var b = tensor(new double[] { 10, 20, 30 });
        Assert.Equal(new double[] { 9, 20.5, 32 }, Values(a.Plus(b)));
        Assert.Equal(new double[] { 1.5, 3, 4.5 }, Values(a.Plus(2.5)));
        Assert.Equal(new double[] { 2, 0.5, -1 }, Values(a.SubtractedFrom(1)));
        Assert.Equal(new double[] { 1, 0.25, 4 }, Values(a.Squared()));
        Assert.Equal(new double[] { 0, 0.5, 2 }, Values(a.AtLeast(0)));
        Assert.Equal(new[] { false, false, true }, a.GreaterThan(1).data<bool>().ToArray());
        Assert.Equal(new[] { true, false, false }, a.LessThan(0).data<bool>().ToArray());
        Assert.Equal(new[] { false, true, false }, a.EqualTo(0.5).data<bool>().ToArray());
        Assert.Equal(14.0, TensorScalars.WithScalar(7, value => full(2, value, float64)).sum().item<double>());

        using Tensor c = a.clone();
        c.PlusInPlace(b).PlusInPlace(1).TimesInPlace(2).DividedByInPlace(4);
        Assert.Equal(new double[] { 5, 10.75, 16.5 }, Values(c));
        c.FillInPlace(3);
        Assert.Equal(new double[] { 3, 3, 3 }, Values(c));
        Assert.Equal(new double[] { -1, 0.5, 2 }, Values(a));

        using Tensor counter = tensor(41L);
        counter.IncrementInPlace();
        Assert.Equal(int64, counter.dtype);
        Assert.Equal(42L, counter.item<long>());
    }

    [Fact]
    public void The_helpers_keep_the_gradient()
    {
        using var x = tensor(new double[] { 1, 2, 3 }).requires_grad_();
        using Tensor loss = x.Squared().Plus(x.SubtractedFrom(1)).Plus(0.5).sum();
        loss.backward();
        using Tensor grad = x.grad!;
        Assert.Equal(new double[] { 1, 3, 5 }, Values(grad)); // d/dx (x² + 1 − x + 0.5) = 2x − 1
    }

    [Fact]
    public void Scalar_arithmetic_never_reads_a_collected_scalar()
    {
        using var a = ones(4, 4);
        using var b = ones(4, 4);
        using var counter = tensor(0L);
        var errors = ForcedCollections.Run(40_000, () =>
        {
            using Tensor sum = a.Plus(b);
            using Tensor shifted = a.Plus(0.5);
            using Tensor reversed = a.SubtractedFrom(1);
            using Tensor clamped = reversed.AtLeast(1e-9);
            using Tensor square = a.Squared();
            using Tensor mask = a.GreaterThan(0);
            using Tensor copy = a.clone();
            copy.PlusInPlace(b).PlusInPlace(1).TimesInPlace(0.5);
            counter.IncrementInPlace();
        });
        Assert.Empty(errors);
        Assert.Equal(40_000L, counter.item<long>());
    }

    [Fact]
    public void Tensor_sums_never_read_a_collected_scalar()
    {
        using var a = ones(4, 4);
        using var b = ones(4, 4);
        var errors = ForcedCollections.Run(150_000, () =>
        {
            using Tensor sum = a.Plus(b);
            using Tensor copy = a.clone();
            using Tensor inPlace = copy.PlusInPlace(b);
        });
        Assert.Empty(errors);
    }

    [Fact]
    public void Tensor_sums_add()
    {
        using var a = tensor(new float[] { 1, 2, 3 });
        using var b = tensor(new float[] { 10, 20, 30 });
        using Tensor sum = a.Plus(b);
        Assert.Equal(new float[] { 11, 22, 33 }, sum.data<float>().ToArray());
        Assert.Equal(new float[] { 1, 2, 3 }, a.data<float>().ToArray());

        using Tensor inPlace = a.PlusInPlace(b);
        Assert.Equal(new float[] { 11, 22, 33 }, a.data<float>().ToArray());
    }

    [Fact]
    public void Ridge_regression_fits_under_collections()
    {
        var random = new Random(3);
        float[][] x = [.. Enumerable.Range(0, 24).Select(_ => Enumerable.Range(0, 6).Select(_ => (float)random.NextDouble()).ToArray())];
        double[] y = [.. x.Select(row => row.Sum() + (0.1 * random.NextDouble()))];
        RidgeModel expected = RidgeRegression.FitLeaveOneOut(x, y, RidgeRegression.DefaultLambdas);
        var fits = new List<RidgeModel>();
        var errors = ForcedCollections.Run(600, () => fits.Add(RidgeRegression.FitLeaveOneOut(x, y, RidgeRegression.DefaultLambdas)));
        Assert.Empty(errors);
        Assert.All(fits, fit =>
        {
            Assert.Equal(expected.Lambda, fit.Lambda);
            Assert.Equal(expected.Weights, fit.Weights);
        });
    }

    private static double[] Values(Tensor t) => t.data<double>().ToArray();
}
