using MetaQap.Imaging.Distortions.Families;
using MetaQap.Imaging.Distortions.Support;
using MetaQap.Imaging.Pixels;

namespace MetaQap.Imaging.Tests.Distortions;

/// <summary>Expected values: tools/reference/distortion_reference.py, section "otsu".</summary>
public sealed class MultiLevelOtsuTests
{
    [Fact]
    public void Two_thresholds_match_an_exhaustive_search()
    {
        float[] thresholds = MultiLevelOtsu.Thresholds(Trimodal(), 2);

        Assert.Equal(0.195704, thresholds[0], 1e-5);
        Assert.Equal(0.557793, thresholds[1], 1e-5);
    }

    [Fact]
    public void Seven_thresholds_match_the_plain_dynamic_programme()
    {
        float[] thresholds = MultiLevelOtsu.Thresholds(Trimodal(), 7);

        double[] expected = [0.062075, 0.221567, 0.359506, 0.475892, 0.605210, 0.738838, 0.885398];
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], thresholds[i], 1e-5);
        }
    }

    [Fact]
    public void Quantization_maps_samples_as_imquantize_with_values_zero_t2_to_tn_one()
    {
        float[] samples = Trimodal();
        float[] thresholds = MultiLevelOtsu.Thresholds(samples, 7);
        var image = new RgbImage(1000, 1, (float[])samples.Clone());

        OtsuQuantization.Apply(image, 7);

        for (int i = 0; i < samples.Length; i++)
        {
            int level = thresholds.Count(t => samples[i] > t); // classes 0..7
            float expected = level == 0 ? 0f : level == thresholds.Length ? 1f : thresholds[level];
            Assert.Equal(expected, image.Data[i]);
        }
    }

    [Fact]
    public void Constant_samples_give_thresholds_at_their_value()
    {
        float[] thresholds = MultiLevelOtsu.Thresholds(Enumerable.Repeat(0.4f, 50).ToArray(), 3);

        Assert.All(thresholds, t => Assert.Equal(0.4f, t));
    }

    /// <summary>Three overlapping, skewed clusters around 0.15, 0.5 and 0.85; mirrors trimodal() in the script.</summary>
    private static float[] Trimodal()
    {
        double[] centres = [0.15, 0.5, 0.85];
        var samples = new float[3000];
        for (int i = 0; i < samples.Length; i++)
        {
            double u = ((long)i * 7919) % 1000 / 1000.0;
            samples[i] = (float)(centres[i % 3] + (((u * u) - 0.5) * 0.4));
        }

        return samples;
    }
}
