using MetaQap.Imaging.Distortions;
using MetaQap.Imaging.Metrics;
using MetaQap.Imaging.Pixels;
using MetaQap.Imaging.Pristine;

namespace MetaQap.Imaging.Tests.Metrics;

public sealed class ChromaDifferenceMetricTests
{
    private static readonly RgbImage Reference = new DeadLeavesSource(1, 5).Sample(0, 96, 1).Image;

    [Fact]
    public void Identical_images_have_no_chroma_difference()
    {
        Assert.Equal(0, ChromaDifferenceMetric.Compute(Reference, Reference.Clone()));
    }

    [Fact]
    public void A_pure_luma_change_moves_no_chroma()
    {
        // Adding the same amount to R, G and B changes Y only: I and Q are differences of channels.
        RgbImage brighter = Reference.Clone();
        for (int i = 0; i < brighter.Data.Length; i++)
        {
            brighter.Data[i] += 0.05f;
        }

        Assert.True(ChromaDifferenceMetric.Compute(Reference, brighter) < 1e-3);
    }

    [Fact]
    public void Colour_distortions_grow_the_difference_with_level()
    {
        double[] differences = [.. Enumerable.Range(1, 5).Select(level =>
            ChromaDifferenceMetric.Compute(Reference, Distorter.Apply(Reference, DistortionType.ColorSaturation2, level, 0)))];

        Assert.Equal(0, differences[0], 1e-4); // level 1 multiplies chroma by 1
        for (int i = 1; i < differences.Length; i++)
        {
            Assert.True(differences[i] > differences[i - 1], string.Join(", ", differences));
        }
    }

    [Fact]
    public void Colour_only_distortions_lower_the_pseudo_quality()
    {
        RgbImage diffused = Distorter.Apply(Reference, DistortionType.ColorDiffusion, 5, 0);

        FullReferenceScores scores = FullReferenceMetrics.Measure(Reference, diffused);
        double lumaOnly = PseudoQuality.FromScores(scores with { ChromaDifference = 0 });

        Assert.True(PseudoQuality.FromScores(scores) < lumaOnly - 10, $"{PseudoQuality.FromScores(scores)} vs {lumaOnly}");
    }
}
