using MetaQap.Modeling.Loss;
using MetaQap.Modeling.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace MetaQap.Modeling.Tests.Loss;

public sealed class SoftRankTests
{
    [Theory]
    [InlineData(0.05)]
    [InlineData(0.1)]
    [InlineData(1.0)]
    public void Gradient_matches_central_finite_differences(double temperature)
    {
        var random = new Random(11);
        var point = Enumerable.Range(0, 9).Select(_ => random.NextDouble()).ToArray();
        // A random weighting turns the [N] output into a scalar whose gradient covers the whole Jacobian.
        var weights = Enumerable.Range(0, 9).Select(_ => random.NextDouble() - 0.5).ToArray();

        var error = GradientCheck.RelativeError(
            x => (SoftRank.Compute(x, temperature) * torch.tensor(weights, dtype: ScalarType.Float64)).sum(),
            point);

        Assert.True(error < 1e-6, $"relative gradient error {error:E3}");
    }

    [Fact]
    public void Tiny_temperature_gives_scipy_average_ranks()
    {
        using var x = torch.tensor(SpearmanReference.Predicted, dtype: ScalarType.Float64);
        using var ranks = SoftRank.Compute(x, 1e-4);

        var actual = ranks.data<double>().ToArray();
        for (var i = 0; i < actual.Length; i++)
        {
            Assert.Equal(SpearmanReference.PredictedRanks[i], actual[i], 1e-9);
        }
    }

    [Fact]
    public void Ranks_are_unchanged_by_shifting_and_scaling_the_input()
    {
        using var x = torch.tensor(SpearmanReference.Predicted, dtype: ScalarType.Float64);
        using var stretched = (x * 250.0).Plus(40.0);
        using var ranks = SoftRank.Compute(x, 0.3);
        using var stretchedRanks = SoftRank.Compute(stretched, 0.3);

        Assert.True(ranks.allclose(stretchedRanks, rtol: 1e-9, atol: 1e-9));
    }

    [Fact]
    public void Ranks_sum_to_the_sum_of_hard_ranks_at_any_temperature()
    {
        // sigmoid(d) + sigmoid(-d) = 1, so the soft ranks always total N(N+1)/2: softness moves rank mass, never adds it.
        using var x = torch.tensor(SpearmanReference.Predicted, dtype: ScalarType.Float64);
        using var ranks = SoftRank.Compute(x, 2.0);

        var n = SpearmanReference.Predicted.Length;
        Assert.Equal(n * (n + 1) / 2.0, ranks.sum().item<double>(), 1e-9);
    }

    [Fact]
    public void Equal_values_all_get_the_middle_rank_without_nan()
    {
        using var x = TensorScalars.WithScalar(0.7f, value => torch.full(5, value, dtype: ScalarType.Float32));
        using var ranks = SoftRank.Compute(x, 0.1);

        Assert.All(ranks.data<float>().ToArray(), r => Assert.Equal(3f, r));
    }

    [Fact]
    public void Float32_input_gives_float32_ranks_close_to_float64()
    {
        using var x64 = torch.tensor(SpearmanReference.Predicted, dtype: ScalarType.Float64);
        using var x32 = x64.to_type(ScalarType.Float32);
        using var ranks64 = SoftRank.Compute(x64, 0.1);
        using var ranks32 = SoftRank.Compute(x32, 0.1);

        Assert.Equal(ScalarType.Float32, ranks32.dtype);
        using var ranks32As64 = ranks32.to_type(ScalarType.Float64);
        Assert.True(ranks32As64.allclose(ranks64, rtol: 0, atol: 1e-4));
    }

    [Fact]
    public void Non_vector_or_integer_input_and_bad_temperature_are_rejected()
    {
        using var matrix = torch.zeros(3, 2);
        using var integers = torch.tensor(new long[] { 1, 2, 3 });
        using var x = torch.tensor(new[] { 1.0, 2.0 });

        Assert.Throws<ArgumentException>(() => SoftRank.Compute(matrix, 0.1));
        Assert.Throws<ArgumentException>(() => SoftRank.Compute(integers, 0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => SoftRank.Compute(x, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => SoftRank.Compute(x, double.NaN));
    }
}
