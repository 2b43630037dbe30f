using MetaQap.Imaging.Distortions;
using MetaQap.Imaging.Pixels;
using MetaQap.Modeling.Scoring;
using MetaQap.Worker.Tests.Support;

namespace MetaQap.Worker.Tests.Scoring;

public sealed class GradientSharpnessScorerTests
{
    private readonly GradientSharpnessScorer _scorer = new();

    [Fact]
    public void Blur_lowers_the_score_of_every_test_content()
    {
        for (int seed = 0; seed < 8; seed++)
        {
            RgbImage sharp = SyntheticImages.Content(96, seed);
            IReadOnlyList<ImageScore> scores = _scorer.Score([sharp,
                Distorter.Apply(sharp, DistortionType.GaussianBlur, 3, seed), Distorter.Apply(sharp, DistortionType.GaussianBlur, 5, seed)]);

            Assert.True(scores[0].Score > scores[1].Score && scores[1].Score > scores[2].Score,
                $"seed {seed}: {scores[0].Score}, {scores[1].Score}, {scores[2].Score}");
        }
    }

    [Fact]
    public void A_score_does_not_depend_on_the_rest_of_its_batch()
    {
        RgbImage image = SyntheticImages.Content(96, 5);

        double alone = _scorer.Score([image])[0].Score;
        double inBatch = _scorer.Score([SyntheticImages.Content(64, 6), image, SyntheticImages.Content(128, 7)])[1].Score;

        Assert.Equal(alone, inBatch);
    }

    [Fact]
    public void A_flat_image_scores_zero_and_scores_stay_in_range()
    {
        var flat = new RgbImage(32, 32);
        flat.Data.AsSpan().Fill(0.5f);

        ImageScore score = _scorer.Score([flat])[0];

        Assert.Equal(0, score.Score);
        Assert.InRange(_scorer.Score([SyntheticImages.Content(96, 1)])[0].Score, 0, 100);
    }
}
