using MetaQap.Modeling.Backbones;

namespace MetaQap.Modeling.Features;

/// <summary>
/// Where each map's statistics sit in a <see cref="TrunkFeatureExtractor"/> row: map m (0 the stem, 1–9 the blocks)
/// contributes its C_m channel means, then its C_m channel standard deviations. A feature set of a head is a list of
/// maps; <see cref="Columns"/> gives its columns in the order <see cref="ResNetCntk.MultiLevel"/> computes them.
/// </summary>
public static class BlockFeatureLayout
{
    public static int Width { get; } = 2 * ResNetCntk.BlockChannels.Sum();

    /// <summary>The columns that make a variant's features (<see cref="ResNetCntk.FeaturesOf"/>), in its order.</summary>
    public static int[] Columns(string architecture) => ResNetCntk.StatisticColumns(architecture);

    /// <summary>
    /// For each column of <see cref="Columns(string)"/>, the size of the statistic it belongs to: the channel count of
    /// its map (a map's means are one statistic, its standard deviations another).
    /// </summary>
    public static int[] StatisticSizes(string architecture) => ResNetCntk.MapsOf(architecture) is { } maps
        ? [.. maps.SelectMany(m => Enumerable.Repeat(ResNetCntk.BlockChannels[m], 2 * ResNetCntk.BlockChannels[m]))]
        : [.. Enumerable.Repeat(ResNetCntk.StageChannels[^1], ResNetCntk.StageChannels[^1])];

    /// <summary>The rows restricted to <paramref name="columns"/>.</summary>
    public static float[][] Select(IReadOnlyList<float[]> rows, int[] columns)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(columns);
        var result = new float[rows.Count][];
        for (int i = 0; i < result.Length; i++)
        {
            var row = new float[columns.Length];
            for (int j = 0; j < columns.Length; j++)
            {
                row[j] = rows[i][columns[j]];
            }

            result[i] = row;
        }

        return result;
    }

    /// <summary>Column indices of the given maps' statistics, in the given map order.</summary>
    public static int[] Columns(IReadOnlyList<int> maps) => ResNetCntk.StatisticColumns(maps);
}
