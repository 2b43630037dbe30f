using MetaQap.Modeling.Loss;
using TorchSharp;
using static TorchSharp.torch;

namespace MetaQap.Modeling.Tests.Loss;

public sealed class AverageRankTests
{
    [Fact]
    public void Ranks_match_scipy_rankdata_average_with_ties()
    {
        using var predicted = torch.tensor(SpearmanReference.Predicted, dtype: ScalarType.Float64);
        using var target = torch.tensor(SpearmanReference.Target, dtype: ScalarType.Float32);
        using var predictedRanks = AverageRank.Compute(predicted);
        using var targetRanks = AverageRank.Compute(target);

        Assert.Equal(SpearmanReference.PredictedRanks, predictedRanks.data<double>().ToArray());
        Assert.Equal(SpearmanReference.TargetRanks.Select(r => (float)r).ToArray(), targetRanks.data<float>().ToArray());
    }

    [Fact]
    public void Ranks_carry_no_gradient()
    {
        using var x = torch.tensor(new[] { 3.0, 1.0, 2.0 }, requires_grad: true);
        using var ranks = AverageRank.Compute(x);

        Assert.False(ranks.requires_grad);
    }
}
