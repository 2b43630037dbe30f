using MetaQap.Imaging.Corpus;
using MetaQap.Imaging.Decoding;
using MetaQap.Imaging.Pixels;
using MetaQap.Imaging.Pristine;

namespace MetaQap.Imaging.Tests.Corpus;

public sealed class ContactSheetTests
{
    [Fact]
    public void Sheet_has_a_row_per_distortion_and_six_columns_of_tiles()
    {
        byte[] png = ContactSheet.Render(new DeadLeavesSource(1, 9), 0, 48, seed: 2);

        RgbImage sheet = ImageDecoder.Decode(png);

        Assert.True(sheet.Width >= 6 * 48, $"width {sheet.Width}");
        Assert.True(sheet.Height >= 25 * 48, $"height {sheet.Height}");
        // Not a blank page: the tiles and labels put plenty of non-white pixels on it.
        int dark = sheet.ReadPlane(1).ToArray().Count(v => v < 0.9f);
        Assert.True(dark > sheet.PlaneSize / 10, $"{dark} non-white pixels");
    }
}
