using MetaQap.Imaging.Distortions;
using MetaQap.Imaging.Metrics;
using MetaQap.Imaging.Pixels;

namespace MetaQap.Imaging.Corpus;

/// <summary>
/// One quality-aware training sample: a distorted crop of a pristine content, its pseudo-quality in [0, 100]
/// (full-reference metrics against the pristine crop) and the distortion that made it.
/// </summary>
public sealed record CorpusSample(
    long Index,
    RgbImage Image,
    double PseudoQuality,
    DistortionType Type,
    int Level,
    int ContentIndex,
    string ContentId,
    FullReferenceScores Scores);
