using MetaQap.Imaging.Distortions.Support;
using MetaQap.Imaging.Pixels;

namespace MetaQap.Imaging.Tests.Distortions;

public sealed class WaveletTests
{
    [Fact]
    public void Low_pass_taps_are_cdf_9_7()
    {
        // pywt 'bior4.4' dec_lo divided by sqrt(2): tools/reference/distortion_reference.py, section "wavelet".
        double[] expected = [0.026748757, -0.016864118, -0.078223267, 0.266864118, 0.602949018, 0.266864118, -0.078223267, -0.016864118, 0.026748757];
        const int length = 32, coefficient = 8; // low-band coefficient 8 sits on sample 16
        var taps = new double[length];
        var line = new float[length];
        var split = new float[length];
        for (int i = 0; i < length; i++)
        {
            Array.Clear(line);
            line[i] = 1;
            Cdf97Wavelet.Split(line, split, 1);
            Cdf97Wavelet.Analyze(split, length, 1);
            taps[i] = split[coefficient];
        }

        for (int k = 0; k < expected.Length; k++)
        {
            Assert.Equal(expected[k], taps[12 + k], 1e-6);
        }
    }

    [Theory]
    [InlineData(96, 96, 4)]
    [InlineData(45, 31, 3)]
    [InlineData(9, 8, 1)]
    public void Inverse_undoes_forward(int width, int height, int levels)
    {
        RgbImage image = TestImages.Pattern(width, height);
        float[] plane = image.Plane(0).ToArray();

        Cdf97Wavelet.Forward(plane, width, height, levels);
        Cdf97Wavelet.Inverse(plane, width, height, levels);

        for (int i = 0; i < plane.Length; i++)
        {
            Assert.Equal(image.Data[i], plane[i], 1e-5);
        }
    }

    [Fact]
    public void Constant_plane_has_only_a_low_band()
    {
        var plane = Enumerable.Repeat(0.25f, 40 * 24).ToArray();

        Cdf97Wavelet.Forward(plane, 40, 24, 2);

        foreach (WaveletBand band in WaveletBand.All(40, 24, 2))
        {
            for (int y = band.Y0; y < band.Y1; y++)
            {
                for (int x = band.X0; x < band.X1; x++)
                {
                    Assert.Equal(band.IsLowest ? 0.25 : 0.0, plane[(y * 40) + x], 1e-5);
                }
            }
        }
    }

    [Fact]
    public void Bands_tile_the_plane_exactly_once()
    {
        var cover = new int[37 * 23];

        foreach (WaveletBand band in WaveletBand.All(37, 23, 2))
        {
            for (int y = band.Y0; y < band.Y1; y++)
            {
                for (int x = band.X0; x < band.X1; x++)
                {
                    cover[(y * 37) + x]++;
                }
            }
        }

        Assert.All(cover, c => Assert.Equal(1, c));
    }

    [Fact]
    public void Measured_norms_are_those_of_the_cdf_9_7_filters()
    {
        BandNorms norms = Cdf97Wavelet.Norms;

        // One level: the L2 norm of the low-pass taps above (tools/reference, section "wavelet").
        Assert.Equal(0.72126, norms.AnalysisLow[1], 4);
        Assert.True(norms.SynthesisLow[5] > norms.SynthesisLow[1]);
        Assert.All(Enumerable.Range(1, Cdf97Wavelet.MaxLevels), l => Assert.True(norms.AnalysisHigh[l] > 0));
    }
}
