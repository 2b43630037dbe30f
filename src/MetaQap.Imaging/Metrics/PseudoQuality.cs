namespace MetaQap.Imaging.Metrics;

/// <summary>
/// Turns full-reference scores into one pseudo-quality in [0, 100] (higher is better, 100 for an image identical
/// to its reference): the label of the quality-aware training corpus, as DeepFL-IQA and KADIS-700k label
/// distorted images with full-reference metrics. See docs/pseudo-quality.md for the reasoning and limitations.
/// </summary>
/// <remarks>
/// Each metric becomes a distortion magnitude d >= 0 (1 - SSIM, 1 - MS-SSIM, GMSD), then a quality
/// q = 1 / (1 + (d / d50)^p) in (0, 1], a log-logistic curve: 1 at d = 0, 1/2 at d = d50, and strictly
/// decreasing. d50 and p send the 10th and 90th percentiles of d over a KADID-10k-like sweep (11 families x 5
/// levels on four photos) to 0.85 and 0.15, so typical distortions spread over the scale instead of crowding
/// near 100 as raw SSIM/MS-SSIM do. The luma quality is the weighted mean of the three q.
/// Constants: `/usr/bin/python3 tools/reference/calibrate_pseudo_quality.py`, rounded to two significant digits.
/// The luma metrics are blind to colour-only distortions (colour diffusion, saturation, chroma noise), so the
/// result is multiplied by sqrt(q_chroma), q_chroma from the chroma difference with the same curve (half point
/// 0.03, exponent 1.5, chosen on the 25 distortions x 5 levels of the project's own generator: `metaqap bench
/// corpus --labels` prints that table). The square root keeps chroma a modifier: a luma-perfect image whose
/// colours moved by the half point scores 71, not 50.
/// </remarks>
public static class PseudoQuality
{
    public const double Maximum = 100;

    private static readonly Term s_ssim = new(HalfPoint: 0.15, Exponent: 1.25, Weight: 0.25);
    private static readonly Term s_msSsim = new(HalfPoint: 0.033, Exponent: 0.9, Weight: 0.35);
    private static readonly Term s_gmsd = new(HalfPoint: 0.046, Exponent: 1.1, Weight: 0.40);
    private static readonly Term s_chroma = new(HalfPoint: 0.03, Exponent: 1.5, Weight: 1);

    public static double FromScores(FullReferenceScores scores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        RequireFinite(scores.Ssim, nameof(scores.Ssim));
        RequireFinite(scores.MsSsim, nameof(scores.MsSsim));
        RequireFinite(scores.Gmsd, nameof(scores.Gmsd));
        RequireFinite(scores.ChromaDifference, nameof(scores.ChromaDifference));
        double weighted = (s_ssim.Weight * s_ssim.Quality(1 - scores.Ssim))
            + (s_msSsim.Weight * s_msSsim.Quality(1 - scores.MsSsim))
            + (s_gmsd.Weight * s_gmsd.Quality(scores.Gmsd));
        double total = s_ssim.Weight + s_msSsim.Weight + s_gmsd.Weight;
        double chroma = Math.Sqrt(s_chroma.Quality(scores.ChromaDifference));
        return Math.Clamp(Maximum * weighted / total * chroma, 0, Maximum);
    }

    private static void RequireFinite(double value, string name)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentException($"{name} must be a finite number, got {value}.", "scores");
        }
    }

    private readonly record struct Term(double HalfPoint, double Exponent, double Weight)
    {
        // Rounding can leave SSIM a hair above 1; that is no distortion, not a negative one.
        public double Quality(double distortion) =>
            1 / (1 + Math.Pow(Math.Max(distortion, 0) / HalfPoint, Exponent));
    }
}
