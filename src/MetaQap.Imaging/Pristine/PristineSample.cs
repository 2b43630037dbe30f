using MetaQap.Imaging.Pixels;

namespace MetaQap.Imaging.Pristine;

/// <summary>
/// One undistorted view of a pristine content. <paramref name="ContentId"/> names the content it was cut from, so
/// corpora can keep train and test content-disjoint even when many views come from one content.
/// </summary>
public sealed record PristineSample(RgbImage Image, string ContentId);
