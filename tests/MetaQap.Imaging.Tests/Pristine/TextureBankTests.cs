using MetaQap.Imaging.Pristine;

namespace MetaQap.Imaging.Tests.Pristine;

public sealed class TextureBankTests
{
    private static readonly TextureBank Bank = new(count: 4, size: 64, seed: 2);

    [Fact]
    public void Textures_have_zero_mean_and_unit_rms()
    {
        for (int t = 0; t < Bank.Count; t++)
        {
            ReadOnlySpan<float> data = Bank.Level(t, 0).Data;
            double sum = 0, sumSq = 0;
            foreach (float v in data)
            {
                sum += v;
                sumSq += v * v;
            }

            Assert.Equal(0, sum / data.Length, 1e-4);
            Assert.Equal(1, sumSq / data.Length, 1e-3);
        }
    }

    [Fact]
    public void Mip_levels_halve_down_to_eight_texels_and_average_their_parent()
    {
        Assert.Equal(4, Bank.LevelCount); // 64, 32, 16, 8
        TextureLevel top = Bank.Level(1, 0), next = Bank.Level(1, 1);
        Assert.Equal(32, next.Size);
        Assert.Equal(0.25f * (top.Data[0] + top.Data[1] + top.Data[64] + top.Data[65]), next.Data[0], 1e-6);
    }

    [Fact]
    public void Textures_tile_without_a_seam()
    {
        // Across the wrap-around edge, neighbouring texels differ no more than neighbours inside do.
        for (int t = 0; t < Bank.Count; t++)
        {
            ReadOnlySpan<float> data = Bank.Level(t, 0).Data;
            double inside = 0, seam = 0;
            for (int y = 0; y < 64; y++)
            {
                inside += Math.Abs(data[(y * 64) + 32] - data[(y * 64) + 31]);
                seam += Math.Abs(data[y * 64] - data[(y * 64) + 63]);
            }

            Assert.True(seam < 2 * inside, $"texture {t}: seam {seam}, inside {inside}");
        }
    }

    [Fact]
    public void Bilinear_sampling_interpolates_and_wraps()
    {
        TextureLevel level = Bank.Level(0, 0);
        ReadOnlySpan<float> d = level.Data;

        Assert.Equal(d[5 * 64 + 3], level.Bilinear(3f, 5f), 1e-6);
        Assert.Equal(0.5f * (d[5 * 64 + 3] + d[5 * 64 + 4]), level.Bilinear(3.5f, 5f), 1e-6);
        Assert.Equal(d[5 * 64 + 3], level.Bilinear(3f - 64f, 5f + 128f), 1e-5);
    }
}
