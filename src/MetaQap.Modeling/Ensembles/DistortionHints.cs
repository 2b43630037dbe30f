using MetaQap.Modeling.Scoring;

namespace MetaQap.Modeling.Ensembles;

/// <summary>The most likely distortion types from averaged distortion-head logits.</summary>
internal static class DistortionHints
{
    /// <summary>Softmax of <paramref name="logits"/> (one image's averaged logits), the <paramref name="count"/> largest, most likely first.</summary>
    public static IReadOnlyList<DistortionHint> Top(ReadOnlySpan<double> logits, IReadOnlyList<string> labels, int count)
    {
        double max = double.NegativeInfinity;
        foreach (double value in logits)
        {
            max = Math.Max(max, value);
        }

        // Subtracting the maximum keeps exp() finite; the softmax is unchanged by it.
        var probabilities = new double[logits.Length];
        double sum = 0;
        for (int i = 0; i < logits.Length; i++)
        {
            probabilities[i] = Math.Exp(logits[i] - max);
            sum += probabilities[i];
        }

        var order = new int[logits.Length];
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        // Stable by index on ties, so equal probabilities list in catalogue order.
        Array.Sort(order, (a, b) => probabilities[a] != probabilities[b] ? probabilities[b].CompareTo(probabilities[a]) : a.CompareTo(b));
        int take = Math.Min(count, order.Length);
        var hints = new DistortionHint[take];
        for (int k = 0; k < take; k++)
        {
            hints[k] = new DistortionHint(labels[order[k]], probabilities[order[k]] / sum);
        }

        return hints;
    }
}
