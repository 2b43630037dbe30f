using MetaQap.Modeling.Loss;
using TorchSharp;
using static TorchSharp.torch;

namespace MetaQap.Modeling.Tests.Loss;

public sealed class QualityAwareLossTests
{
    [Fact]
    public void Default_loss_is_half_mse_plus_half_one_minus_srocc()
    {
        using var predicted = torch.tensor(SpearmanReference.Predicted);
        using var target = torch.tensor(SpearmanReference.Target);
        var mse = SpearmanReference.Predicted.Zip(SpearmanReference.Target, (p, t) => (p - t) * (p - t)).Average();
        using var srocc = DifferentiableSpearman.Compute(predicted, target, 0.1);

        using var loss = new QualityAwareLoss().Compute(predicted, target);

        Assert.Equal(0.5 * mse + 0.5 * (1 - srocc.item<double>()), loss.item<double>(), 1e-12);
    }

    [Fact]
    public void Custom_weights_and_temperature_are_applied()
    {
        var options = new QualityAwareLossOptions { MseWeight = 0.2, SroccWeight = 0.8, Temperature = 0.05 };
        using var predicted = torch.tensor(SpearmanReference.Predicted);
        using var target = torch.tensor(SpearmanReference.Target);
        var mse = SpearmanReference.Predicted.Zip(SpearmanReference.Target, (p, t) => (p - t) * (p - t)).Average();
        using var srocc = DifferentiableSpearman.Compute(predicted, target, 0.05);

        using var loss = new QualityAwareLoss(options).Compute(predicted, target);

        Assert.Equal(0.2 * mse + 0.8 * (1 - srocc.item<double>()), loss.item<double>(), 1e-12);
    }

    [Fact]
    public void Gradient_matches_central_finite_differences()
    {
        var random = new Random(23);
        var point = Enumerable.Range(0, 12).Select(_ => random.NextDouble()).ToArray();
        var target = Enumerable.Range(0, 12).Select(_ => random.NextDouble()).ToArray();
        var loss = new QualityAwareLoss();

        var error = GradientCheck.RelativeError(
            x => loss.Compute(x.unsqueeze(1), torch.tensor(target, dtype: ScalarType.Float64)),
            point);

        Assert.True(error < 1e-6, $"relative gradient error {error:E3}");
    }

    [Fact]
    public void Perfectly_ordered_prediction_has_a_lower_srocc_term_than_a_reversed_one()
    {
        // Same values, so the MSE differs only through the pairing; the SROCC-only loss isolates the rank term.
        var sroccOnly = new QualityAwareLoss(new QualityAwareLossOptions { MseWeight = 0, SroccWeight = 1 });
        var target = Enumerable.Range(0, 8).Select(i => i / 7.0).ToArray();
        using var targetTensor = torch.tensor(target);
        using var ordered = torch.tensor(target.Select(t => 0.3 + 0.4 * t).ToArray());
        using var reversed = torch.tensor(target.Select(t => 0.7 - 0.4 * t).ToArray());

        using var orderedTerm = sroccOnly.Compute(ordered, targetTensor);
        using var reversedTerm = sroccOnly.Compute(reversed, targetTensor);

        Assert.True(orderedTerm.item<double>() < 0.05, $"ordered 1 - SROCC~ = {orderedTerm.item<double>()}");
        Assert.True(reversedTerm.item<double>() > 1.95, $"reversed 1 - SROCC~ = {reversedTerm.item<double>()}");
    }

    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.Float64)]
    public void Equal_predictions_give_a_finite_loss_and_gradient(ScalarType dtype)
    {
        using var predicted = torch.zeros(new long[] { 16, 1 }, dtype: dtype, requires_grad: true);
        using var target = torch.linspace(0, 1, 16, dtype: dtype);
        using var loss = new QualityAwareLoss().Compute(predicted, target);
        loss.backward();

        Assert.Equal(dtype, loss.dtype);
        Assert.True(loss.isfinite().item<bool>());
        Assert.True(predicted.grad!.isfinite().all().item<bool>());
    }

    [Theory]
    [InlineData(-0.1, 0.5, 0.1)]
    [InlineData(0.5, double.NaN, 0.1)]
    [InlineData(0, 0, 0.1)]
    [InlineData(0.5, 0.5, 0)]
    [InlineData(0.5, 0.5, double.PositiveInfinity)]
    public void Invalid_options_are_rejected(double mseWeight, double sroccWeight, double temperature)
    {
        var options = new QualityAwareLossOptions { MseWeight = mseWeight, SroccWeight = sroccWeight, Temperature = temperature };

        Assert.Throws<ArgumentOutOfRangeException>(() => new QualityAwareLoss(options));
    }

    [Fact]
    public void Integer_predictions_are_rejected()
    {
        using var predicted = torch.tensor(new long[] { 1, 2, 3 });
        using var target = torch.tensor(new[] { 1.0, 2.0, 3.0 });

        Assert.Throws<ArgumentException>(() => new QualityAwareLoss().Compute(predicted, target));
    }
}
