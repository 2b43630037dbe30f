using MetaQap.Modeling.Artifacts;
using MetaQap.Modeling.Backbones;
using static TorchSharp.torch;

namespace MetaQap.Modeling.Ensembles;

/// <summary>
/// Finds base models that are heads on one frozen <see cref="ResNetCntk"/> trunk: same input size, view side and
/// normalisation, and identical trunk weights (compared tensor by tensor, so a fine-tuned trunk never joins a
/// frozen one). Each such group runs its trunk once per batch and every member reads its own features from the
/// shared maps, which is what keeps an ensemble of several ImageNet heads at the cost of one forward pass.
/// A model alone with its trunk is a group of one: the group's chunked passes (two 512² images at a time) are faster
/// on a CPU than one pass over a whole micro-batch at high resolution.
/// </summary>
internal static class SharedTrunks
{
    public static void Group(IReadOnlyList<BaseModelRunner> runners, IReadOnlyList<BaseModelEntry> entries)
    {
        // Each group as the indices of its members; the first member stands for the group.
        var groups = new List<List<int>>();
        for (int i = 0; i < runners.Count; i++)
        {
            if (runners[i].Model.Backbone is not ResNetCntk)
            {
                continue;
            }

            List<int>? match = groups.FirstOrDefault(g => SameInput(runners[g[0]], entries[g[0]], runners[i], entries[i]));
            if (match is null)
            {
                groups.Add([i]);
            }
            else
            {
                match.Add(i);
            }
        }

        int id = 0;
        foreach (List<int> members in groups)
        {
            members.ForEach(m => runners[m].TrunkGroup = id);
            id++;
        }
    }

    private static bool SameInput(BaseModelRunner a, BaseModelEntry ea, BaseModelRunner b, BaseModelEntry eb) =>
        a.InputSize == b.InputSize && a.ViewSide == b.ViewSide
        && ea.NormalizationMean.SequenceEqual(eb.NormalizationMean) && ea.NormalizationStd.SequenceEqual(eb.NormalizationStd)
        && SameWeights(a.Model.Backbone, b.Model.Backbone);

    /// <summary>Whether two trunks hold the same tensors under the same names (exact equality).</summary>
    public static bool SameWeights(nn.Module a, nn.Module b)
    {
        var left = a.state_dict();
        var right = b.state_dict();
        return left.Count == right.Count && left.All(kv => right.TryGetValue(kv.Key, out Tensor? other) && kv.Value.shape.SequenceEqual(other.shape) && kv.Value.eq(other).all().item<bool>());
    }
}
