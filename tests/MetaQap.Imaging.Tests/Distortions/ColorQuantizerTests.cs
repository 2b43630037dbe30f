using MetaQap.Imaging.Distortions.Families;
using MetaQap.Imaging.Pixels;

namespace MetaQap.Imaging.Tests.Distortions;

public sealed class ColorQuantizerTests
{
    [Theory]
    [InlineData(8)]
    [InlineData(64)]
    public void Output_uses_at_most_the_requested_number_of_colours(int colours)
    {
        RgbImage output = ColorQuantizer.Quantize(TestImages.Pattern(64, 64), colours);

        var distinct = new HashSet<(float, float, float)>();
        for (int i = 0; i < output.PlaneSize; i++)
        {
            distinct.Add((output.Data[i], output.Data[output.PlaneSize + i], output.Data[(2 * output.PlaneSize) + i]));
        }

        Assert.InRange(distinct.Count, 2, colours);
    }

    [Fact]
    public void Nearest_colour_shortcut_agrees_with_exhaustive_search()
    {
        var random = new Random(4);
        var palette = new ColorPalette(13);
        var colours = new (float R, float G, float B)[13];
        for (int k = 0; k < colours.Length; k++)
        {
            colours[k] = ((float)random.NextDouble(), (float)random.NextDouble(), (float)random.NextDouble());
            palette.Set(k, colours[k].R, colours[k].G, colours[k].B);
        }

        palette.Seal();
        for (int i = 0; i < 5000; i++)
        {
            float r = (float)random.NextDouble(), g = (float)random.NextDouble(), b = (float)random.NextDouble();
            int expected = Enumerable.Range(0, colours.Length)
                .MinBy(k => ((colours[k].R - r) * (colours[k].R - r)) + ((colours[k].G - g) * (colours[k].G - g)) + ((colours[k].B - b) * (colours[k].B - b)));

            Assert.Equal(expected, palette.Nearest(r, g, b, guess: random.Next(colours.Length)));
        }
    }
}
