using MetaQap.Imaging.Pristine;

namespace MetaQap.Imaging.Tests.Pristine;

public sealed class FftTests
{
    [Fact]
    public void Transform_matches_a_direct_dft()
    {
        const int n = 16;
        var rng = new Random(3);
        float[] re = [.. Enumerable.Range(0, n).Select(_ => (float)rng.NextDouble() - 0.5f)];
        float[] im = [.. Enumerable.Range(0, n).Select(_ => (float)rng.NextDouble() - 0.5f)];
        float[] inRe = (float[])re.Clone(), inIm = (float[])im.Clone();

        Fft.Transform(re, im, inverse: false);

        for (int k = 0; k < n; k++)
        {
            double sumRe = 0, sumIm = 0;
            for (int t = 0; t < n; t++)
            {
                double angle = -2 * Math.PI * k * t / n;
                sumRe += (inRe[t] * Math.Cos(angle)) - (inIm[t] * Math.Sin(angle));
                sumIm += (inRe[t] * Math.Sin(angle)) + (inIm[t] * Math.Cos(angle));
            }

            Assert.Equal(sumRe, re[k], 1e-4);
            Assert.Equal(sumIm, im[k], 1e-4);
        }
    }

    [Fact]
    public void Inverse_of_forward_2d_transform_scaled_by_size_is_the_identity()
    {
        const int n = 8;
        var rng = new Random(5);
        float[] re = [.. Enumerable.Range(0, n * n).Select(_ => (float)rng.NextDouble())];
        float[] original = (float[])re.Clone();
        var im = new float[n * n];

        Fft.Transform2D(re, im, n, inverse: false);
        Fft.Transform2D(re, im, n, inverse: true);

        for (int i = 0; i < re.Length; i++)
        {
            Assert.Equal(original[i], re[i] / (n * n), 1e-5);
            Assert.Equal(0f, im[i] / (n * n), 1e-5);
        }
    }

    [Fact]
    public void Non_power_of_two_length_is_refused()
    {
        Assert.Throws<ArgumentException>(() => Fft.Transform(new float[6], new float[6], inverse: false));
    }
}
