namespace MetaQap.Imaging.Metrics;

/// <summary>
/// The full-reference scores of one distorted image against its pristine reference: three on Rec. 601 luma and
/// one on chroma, so colour-only distortions (which leave luma almost untouched) still lower the pseudo-quality.
/// </summary>
/// <param name="Ssim">Structural similarity (Wang et al. 2004), 1 for identical images, higher is better.</param>
/// <param name="MsSsim">Multi-scale SSIM (Wang, Simoncelli &amp; Bovik 2003), in [0, 1], higher is better.</param>
/// <param name="Gmsd">Gradient magnitude similarity deviation (Xue et al. 2014), 0 for identical images, lower is better.</param>
/// <param name="ChromaDifference">
/// Mean magnitude of the YIQ chroma (I, Q) difference after a small Gaussian blur (see <see cref="ChromaDifferenceMetric"/>);
/// 0 for identical colours, higher is worse. 0 when only luma was compared.
/// </param>
public sealed record FullReferenceScores(double Ssim, double MsSsim, double Gmsd, double ChromaDifference = 0);
