using MetaQap.Imaging.Distortions;
using MetaQap.Imaging.Metrics;
using MetaQap.Imaging.Pixels;
using MetaQap.Imaging.Pristine;

namespace MetaQap.Imaging.Tests.Distortions;

/// <summary>Quality, measured by the full-reference metrics against the pristine image, follows the levels.</summary>
public sealed class DistortionQualityTests
{
    private static readonly RgbImage[] Contents =
        [.. Enumerable.Range(0, 3).Select(i => new DeadLeavesSource(3, 17).Sample(i, 128, 2).Image)];

    /// <summary>
    /// Types whose KADID levels grow in severity but whose measured quality does not fall at every step: KADID's
    /// pixelation resizes with nearest neighbour by 0.95 − p^0.6, which already drops and duplicates rows at level 1,
    /// so levels 1–4 measure alike (docs/distortions.md). For these only level 5 &lt; level 1 is required.
    /// </summary>
    private static readonly DistortionType[] MeasuredNonMonotone = [DistortionType.Pixelate];

    public static TheoryData<DistortionType> MonotoneTypes()
    {
        var data = new TheoryData<DistortionType>();
        foreach (DistortionInfo info in DistortionCatalog.All.Where(d => d.QualityFallsWithLevel && !MeasuredNonMonotone.Contains(d.Type)))
        {
            data.Add(info.Type);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(MonotoneTypes))]
    public void Pseudo_quality_falls_as_the_level_rises(DistortionType type)
    {
        double[] quality = [.. Enumerable.Range(1, 5).Select(level => MeanPseudoQuality(type, level))];

        // Non-increasing level to level (0.5 points of slack for saturating types such as colour shift),
        // and clearly worse at level 5 than at level 1.
        for (int level = 2; level <= 5; level++)
        {
            Assert.True(quality[level - 1] <= quality[level - 2] + 0.5, $"{type}: {string.Join(", ", quality.Select(q => q.ToString("F1")))}");
        }

        Assert.True(quality[4] < quality[0] - 10, $"{type}: {string.Join(", ", quality.Select(q => q.ToString("F1")))}");
    }

    [Fact]
    public void Pixelation_is_still_worst_at_level_5()
    {
        double[] quality = [.. Enumerable.Range(1, 5).Select(level => MeanPseudoQuality(DistortionType.Pixelate, level))];

        Assert.True(quality[4] < quality[0] - 10, string.Join(", ", quality.Select(q => q.ToString("F1"))));
    }

    [Theory]
    [InlineData(DistortionType.MeanShift)]
    [InlineData(DistortionType.ContrastChange)]
    public void Two_sided_types_are_worst_at_the_ends(DistortionType type)
    {
        double[] quality = [.. Enumerable.Range(1, 5).Select(level => MeanPseudoQuality(type, level))];

        Assert.True(quality[0] < quality[1] && quality[4] < quality[3], string.Join(", ", quality));
    }

    [Fact]
    public void Mean_shift_level_3_leaves_the_image_unchanged()
    {
        // KADID's contrast curve at a = 0 is not the identity (a mild S-curve), but its mean shift of 0 is.
        Assert.Equal(100, MeanPseudoQuality(DistortionType.MeanShift, 3), 1e-3);
    }

    // One seed for every level: the random draws are then shared, so a heavier level adds to (not replaces) the
    // damage of a lighter one, as with KADID's generator run once per image.
    private static double MeanPseudoQuality(DistortionType type, int level) =>
        Contents.Average(content => PseudoQuality.FromScores(
            FullReferenceMetrics.Measure(content, Distorter.Apply(content, type, level, seed: 7))));
}
