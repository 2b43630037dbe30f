using MetaQap.Modeling.Loss;
using MetaQap.Modeling.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace MetaQap.Modeling.Tests.Loss;

public sealed class DifferentiableSpearmanTests
{
    [Theory]
    [InlineData(0.1)]
    [InlineData(0.5)]
    public void Gradient_matches_central_finite_differences(double temperature)
    {
        var random = new Random(5);
        var point = Enumerable.Range(0, 10).Select(_ => random.NextDouble()).ToArray();
        var target = Enumerable.Range(0, 10).Select(_ => random.NextDouble()).ToArray();

        var error = GradientCheck.RelativeError(
            x => DifferentiableSpearman.Compute(x, torch.tensor(target, dtype: ScalarType.Float64), temperature),
            point);

        Assert.True(error < 1e-6, $"relative gradient error {error:E3}");
    }

    [Fact]
    public void Converges_to_scipy_spearman_as_the_temperature_shrinks()
    {
        using var predicted = torch.tensor(SpearmanReference.Predicted, dtype: ScalarType.Float64);
        using var target = torch.tensor(SpearmanReference.Target, dtype: ScalarType.Float64);

        var errors = new[] { 0.3, 0.1, 0.03, 0.01 }
            .Select(t => Math.Abs(Srocc(predicted, target, t) - SpearmanReference.Spearman))
            .ToArray();

        for (var i = 1; i < errors.Length; i++)
        {
            Assert.True(errors[i] < errors[i - 1], $"error did not shrink: {string.Join(", ", errors)}");
        }

        Assert.Equal(SpearmanReference.Spearman, Srocc(predicted, target, 1e-3), 1e-10);
    }

    [Fact]
    public void Perfect_order_scores_higher_than_reversed_order()
    {
        var target = Enumerable.Range(1, 10).Select(i => (double)i).ToArray();
        using var targetTensor = torch.tensor(target);
        using var ordered = torch.tensor(target.Select(t => 2 * t + 1).ToArray());
        using var reversed = torch.tensor(target.Select(t => -t).ToArray());

        var orderedSrocc = Srocc(ordered, targetTensor, 0.1);
        var reversedSrocc = Srocc(reversed, targetTensor, 0.1);

        Assert.True(orderedSrocc > 0.95, $"ordered SROCC~ {orderedSrocc}");
        Assert.True(reversedSrocc < -0.95, $"reversed SROCC~ {reversedSrocc}");
    }

    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.Float64)]
    public void Equal_predictions_give_zero_correlation_and_finite_gradients(ScalarType dtype)
    {
        using var predicted = TensorScalars.WithScalar(0.25, value => torch.full(6, value, dtype: dtype, requires_grad: true));
        using var target = torch.tensor(new[] { 0.1, 0.5, 0.3, 0.9, 0.2, 0.7 }, dtype: dtype);
        using var srocc = DifferentiableSpearman.Compute(predicted, target, 0.1);
        srocc.backward();

        Assert.Equal(dtype, srocc.dtype);
        Assert.Equal(0.0, srocc.to_type(ScalarType.Float64).item<double>(), 1e-12);
        Assert.True(predicted.grad!.isfinite().all().item<bool>());
    }

    [Fact]
    public void Equal_targets_give_zero_correlation_and_finite_gradients()
    {
        using var predicted = torch.tensor(new[] { 0.1, 0.5, 0.3 }, requires_grad: true);
        using var target = TensorScalars.WithScalar(2.0, value => torch.full(3, value, dtype: ScalarType.Float64));
        using var srocc = DifferentiableSpearman.Compute(predicted, target, 0.1);
        srocc.backward();

        Assert.Equal(0.0, srocc.item<double>(), 1e-12);
        Assert.True(predicted.grad!.isfinite().all().item<bool>());
    }

    [Fact]
    public void Column_vectors_give_the_same_value_as_flat_vectors()
    {
        using var predicted = torch.tensor(SpearmanReference.Predicted);
        using var target = torch.tensor(SpearmanReference.Target);
        using var predictedColumn = predicted.unsqueeze(1);
        using var targetColumn = target.unsqueeze(1);

        Assert.Equal(Srocc(predicted, target, 0.1), Srocc(predictedColumn, targetColumn, 0.1), 1e-15);
    }

    [Fact]
    public void Float64_targets_are_cast_to_float32_predictions()
    {
        using var predicted = torch.tensor(SpearmanReference.Predicted, dtype: ScalarType.Float32);
        using var target = torch.tensor(SpearmanReference.Target, dtype: ScalarType.Float64);
        using var srocc = DifferentiableSpearman.Compute(predicted, target, 1e-3);

        Assert.Equal(ScalarType.Float32, srocc.dtype);
        Assert.Equal(SpearmanReference.Spearman, srocc.item<float>(), 1e-5);
    }

    [Fact]
    public void Fewer_than_two_samples_or_mismatched_lengths_are_rejected()
    {
        using var one = torch.tensor(new[] { 1.0 });
        using var two = torch.tensor(new[] { 1.0, 2.0 });
        using var three = torch.tensor(new[] { 1.0, 2.0, 3.0 });
        using var wide = torch.zeros(3, 2, dtype: ScalarType.Float64);

        Assert.Throws<ArgumentException>(() => DifferentiableSpearman.Compute(one, one, 0.1));
        Assert.Throws<ArgumentException>(() => DifferentiableSpearman.Compute(two, three, 0.1));
        Assert.Throws<ArgumentException>(() => DifferentiableSpearman.Compute(wide, three, 0.1));
    }

    [SkippableFact]
    public void Runs_on_cuda_when_the_inputs_are_there()
    {
        Skip.IfNot(torch.cuda.is_available(), "no CUDA device in this build or machine");

        using var predicted = torch.tensor(SpearmanReference.Predicted, device: torch.CUDA);
        using var target = torch.tensor(SpearmanReference.Target, device: torch.CUDA);
        using var srocc = DifferentiableSpearman.Compute(predicted, target, 1e-3);

        Assert.Equal(DeviceType.CUDA, srocc.device_type);
        Assert.Equal(SpearmanReference.Spearman, srocc.cpu().item<double>(), 1e-9);
    }

    private static double Srocc(Tensor predicted, Tensor target, double temperature)
    {
        using var srocc = DifferentiableSpearman.Compute(predicted, target, temperature);
        return srocc.item<double>();
    }
}
