using MetaQap.Imaging.Pixels;
using MetaQap.Modeling.Scoring;

namespace MetaQap.Worker.Tests.Support;

/// <summary>The test scorer, slowed down so that a stop or an outage lands in the middle of a job.</summary>
internal sealed class SlowScorer(TimeSpan perImage) : IQualityScorer
{
    private readonly GradientSharpnessScorer _inner = new();

    public string ModelVersion => _inner.ModelVersion;

    public IReadOnlyList<ImageScore> Score(IReadOnlyList<RgbImage> images, CancellationToken cancellationToken = default)
    {
        Thread.Sleep(perImage * images.Count);
        return _inner.Score(images, cancellationToken);
    }
}
