using MetaQap.Imaging.Distortions.Support;

namespace MetaQap.Imaging.Tests.Distortions;

/// <summary>Expected values: tools/reference/distortion_reference.py, section "curves" (scipy not-a-knot spline).</summary>
public sealed class ToneCurveTests
{
    private static readonly float[] s_inputs = [0.05f, 0.2f, 0.3f, 0.45f, 0.6f, 0.8f, 0.95f];

    [Theory]
    [InlineData(0.3, new[] { 0.000000, 0.057143, 0.175000, 0.413170, 0.671429, 0.942857, 1.000000 })]
    [InlineData(-0.6, new[] { 0.100893, 0.314286, 0.400000, 0.479464, 0.542857, 0.685714, 0.899107 })]
    public void Contrast_curve_is_matlab_spline(double amount, double[] expected)
    {
        var curve = ToneCurve.Contrast(0.25 - (amount / 4), 0.75 + (amount / 4));

        for (int i = 0; i < s_inputs.Length; i++)
        {
            Assert.Equal(expected[i], curve.Evaluate(s_inputs[i]), 1e-5);
        }
    }

    [Theory]
    [InlineData(0.70, new[] { 0.088000, 0.328000, 0.468000, 0.648000, 0.792000, 0.928000, 0.988000 })]
    [InlineData(0.10, new[] { 0.000000, 0.000000, 0.000000, 0.054000, 0.216000, 0.544000, 0.874000 })]
    public void Three_point_curve_is_the_clipped_parabola(double middle, double[] expected)
    {
        var curve = ToneCurve.ThroughMiddle(middle);

        for (int i = 0; i < s_inputs.Length; i++)
        {
            Assert.Equal(expected[i], curve.Evaluate(s_inputs[i]), 1e-5);
        }
    }

    [Fact]
    public void Table_application_agrees_with_direct_evaluation()
    {
        var curve = ToneCurve.Contrast(0.4, 0.6);
        float[] samples = Enumerable.Range(0, 1001).Select(i => i / 1000f).ToArray();

        curve.Apply(samples);

        for (int i = 0; i <= 1000; i++)
        {
            Assert.Equal(curve.Evaluate(i / 1000f), samples[i], 1e-6);
        }
    }
}
