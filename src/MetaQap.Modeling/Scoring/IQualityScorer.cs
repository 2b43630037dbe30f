using MetaQap.Imaging.Pixels;

namespace MetaQap.Modeling.Scoring;

/// <summary>
/// Scores decoded images with a loaded model. Implementations resize and normalise internally, run the model on the
/// whole batch at once, and must give each image the same score whatever else shares its batch.
/// Calls are not concurrent: the worker runs one batch at a time per model.
/// </summary>
public interface IQualityScorer
{
    /// <summary>The version of the loaded ensemble, carried on every result.</summary>
    string ModelVersion { get; }

    /// <summary>
    /// The shortest shorter side an image needs for this scorer to look at it at the scale it uses (every base
    /// model's view side, or input size without one): a decoder may hand over an image scaled down no further than
    /// this (<c>DecodeOptions.MinShorterSide</c>). Null: the scorer wants images at full size.
    /// </summary>
    int? DecodeShorterSide => null;

    IReadOnlyList<ImageScore> Score(IReadOnlyList<RgbImage> images, CancellationToken cancellationToken = default);
}
