using MetaQap.Imaging.Pixels;
using MetaQap.Modeling.Scoring;

namespace MetaQap.Worker.Tests.Support;

/// <summary>
/// A small, real, deterministic no-reference quality statistic for tests only (never the service's model): the
/// mean gradient magnitude and the mean absolute Laplacian of the luma, each mapped to 0–100 by x / (x + c), and
/// their mean. Blur lowers both, so "scores fall with the blur level" is a real property to check. Each image is
/// scored on its own, so a score cannot depend on its batch. It reports no distortion types (it has none to offer).
/// </summary>
public sealed class GradientSharpnessScorer : IQualityScorer
{
    public const string Version = "test-gradient-sharpness-1";

    // Half-saturation points: the statistic of a typical sharp 96×96 test image sits a little above these.
    private const double GradientScale = 0.05;
    private const double LaplacianScale = 0.05;

    public string ModelVersion => Version;

    public IReadOnlyList<ImageScore> Score(IReadOnlyList<RgbImage> images, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(images);
        var scores = new ImageScore[images.Count];
        for (int i = 0; i < images.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            scores[i] = ScoreOne(images[i]);
        }

        return scores;
    }

    private static ImageScore ScoreOne(RgbImage image)
    {
        float[] luma = image.ToLuma();
        int w = image.Width, h = image.Height;
        double gradientSum = 0, laplacianSum = 0;
        int count = 0;
        for (int y = 1; y < h - 1; y++)
        {
            int row = y * w;
            for (int x = 1; x < w - 1; x++)
            {
                int i = row + x;
                double gx = (luma[i + 1] - luma[i - 1]) * 0.5;
                double gy = (luma[i + w] - luma[i - w]) * 0.5;
                gradientSum += Math.Sqrt((gx * gx) + (gy * gy));
                laplacianSum += Math.Abs(luma[i + 1] + luma[i - 1] + luma[i + w] + luma[i - w] - (4 * luma[i]));
                count++;
            }
        }

        double gradient = count == 0 ? 0 : gradientSum / count;
        double laplacian = count == 0 ? 0 : laplacianSum / count;
        double gradientScore = 100 * gradient / (gradient + GradientScale);
        double laplacianScore = 100 * laplacian / (laplacian + LaplacianScale);
        return new ImageScore(
            (gradientScore + laplacianScore) / 2,
            new Dictionary<string, double> { ["gradient_magnitude"] = gradientScore, ["laplacian_energy"] = laplacianScore },
            Math.Abs(gradientScore - laplacianScore) / 2,
            []);
    }
}
