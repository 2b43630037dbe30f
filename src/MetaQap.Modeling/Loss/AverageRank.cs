using MetaQap.Modeling.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace MetaQap.Modeling.Loss;

/// <summary>
/// Hard ranks 1..N with ties given the average of the ranks they span (scipy.stats.rankdata's "average").
/// </summary>
/// <remarks>
/// Computed as rank_i = 0.5 + #{j: x_j &lt; x_i} + 0.5 · #{j: x_j = x_i} (the count of equals includes i itself),
/// i.e. <see cref="SoftRank"/> with the sigmoid replaced by a step that is 0.5 at 0. It runs on the input's device,
/// so targets never make a round trip to the CPU. The result carries no gradient.
/// </remarks>
public static class AverageRank
{
    /// <summary>Average-tie ranks of <paramref name="x"/> ([N] floating point), same dtype and device; result [N].</summary>
    public static Tensor Compute(Tensor x)
    {
        LossInputs.RequireFloatVector(x, nameof(x));

        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var differences = x.unsqueeze(1) - x.unsqueeze(0); // [i, j] = x_i - x_j
        var below = differences.GreaterThan(0).to_type(x.dtype).sum(1);
        var equal = differences.EqualTo(0).to_type(x.dtype).sum(1);
        var ranks = below.Plus(equal * 0.5).PlusInPlace(0.5);
        return scope.MoveToOuter(ranks);
    }
}
