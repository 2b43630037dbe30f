namespace MetaQap.Modeling.Tests.Loss;

/// <summary>
/// Data and scipy 1.10.1 results pasted from `/usr/bin/python3 tools/reference/spearman_reference.py`
/// (the script holds the same two arrays). Both arrays contain a tie, so average-tie ranking is exercised.
/// </summary>
internal static class SpearmanReference
{
    public static readonly double[] Predicted = [0.12, 0.85, 0.50, 0.33, 0.97, 0.50, 0.05, 0.71, 0.64, 0.28, 0.91, 0.40];

    public static readonly double[] Target = [1.0, 4.5, 3.0, 2.5, 4.0, 3.5, 1.5, 3.0, 4.2, 1.2, 4.8, 2.0];

    /// <summary>scipy.stats.rankdata(Predicted, method="average").</summary>
    public static readonly double[] PredictedRanks = [2.0, 10.0, 6.5, 4.0, 12.0, 6.5, 1.0, 9.0, 8.0, 3.0, 11.0, 5.0];

    /// <summary>scipy.stats.rankdata(Target, method="average").</summary>
    public static readonly double[] TargetRanks = [1.0, 11.0, 6.5, 5.0, 9.0, 8.0, 3.0, 6.5, 10.0, 2.0, 12.0, 4.0];

    /// <summary>scipy.stats.spearmanr(Predicted, Target).statistic.</summary>
    public const double Spearman = 0.8894736842105264;
}
