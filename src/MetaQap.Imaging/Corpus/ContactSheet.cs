using System.Globalization;
using MetaQap.Imaging.Distortions;
using MetaQap.Imaging.Drawing;
using MetaQap.Imaging.Metrics;
using MetaQap.Imaging.Pixels;
using MetaQap.Imaging.Pristine;
using SkiaSharp;

namespace MetaQap.Imaging.Corpus;

/// <summary>
/// A PNG a person can look at: one row per distortion type, the pristine crop then levels 1–5, each tile captioned
/// with its pseudo-quality, so anyone can check that the distortions look like KADID-10k's and the labels make sense.
/// </summary>
public static class ContactSheet
{
    private const int LabelWidth = 190;
    private const int CaptionHeight = 12;
    private const int Gap = 4;

    private static readonly SKSamplingOptions Sampling = new(SKFilterMode.Nearest);

    public static byte[] Render(IPristineSource source, int contentIndex, int tileSize, int seed)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfLessThan(tileSize, 32);
        RgbImage pristine = source.Sample(contentIndex, tileSize, seed).Image;
        IReadOnlyList<DistortionInfo> types = DistortionCatalog.All;
        int columns = 6;
        int width = LabelWidth + (columns * (tileSize + Gap));
        int rowHeight = tileSize + CaptionHeight + Gap;
        int height = CaptionHeight + Gap + (types.Count * rowHeight);

        using var sheet = new SKBitmap(width, height);
        using var canvas = new SKCanvas(sheet);
        canvas.Clear(SKColors.White);
        using SKImage pristineTile = ToSkImage(pristine);
        PixelFont.Draw(canvas, "PRISTINE", LabelWidth, 2, SKColors.Black);
        for (int level = 1; level <= 5; level++)
        {
            PixelFont.Draw(canvas, $"LEVEL {level}", LabelWidth + (level * (tileSize + Gap)), 2, SKColors.Black);
        }

        for (int row = 0; row < types.Count; row++)
        {
            int top = CaptionHeight + Gap + (row * rowHeight);
            DistortionInfo info = types[row];
            PixelFont.Draw(canvas, $"{(int)info.Type:D2} {info.Name}", 4, top + (tileSize / 2) - 3, SKColors.Black);
            canvas.DrawImage(pristineTile, LabelWidth, top, Sampling);
            for (int level = 1; level <= 5; level++)
            {
                RgbImage distorted = Distorter.Apply(pristine, info.Type, level, seed + (row * 7) + level);
                double quality = PseudoQuality.FromScores(FullReferenceMetrics.Measure(pristine, distorted));
                float left = LabelWidth + (level * (tileSize + Gap));
                using SKImage tile = ToSkImage(distorted);
                canvas.DrawImage(tile, left, top, Sampling);
                PixelFont.Draw(canvas, quality.ToString("F1", CultureInfo.InvariantCulture), left, top + tileSize + 2, SKColors.DarkSlateGray);
            }
        }

        using SKData png = sheet.Encode(SKEncodedImageFormat.Png, 100);
        return png.ToArray();
    }

    private static SKImage ToSkImage(RgbImage image)
    {
        using SKBitmap bitmap = ImageEncoder.ToBitmap(image);
        return SKImage.FromBitmap(bitmap);
    }
}
