using System.Collections.Frozen;

namespace MetaQap.Imaging.Distortions;

/// <summary>
/// The 25 KADID-10k distortions with the level parameters of KADID's generator (imdist_generator.m). Parameters
/// are in the generator's own units; see docs/distortions.md for what each means and where we deviate.
/// </summary>
public static class DistortionCatalog
{
    private static readonly DistortionInfo[] s_all =
    [
        Faithful(DistortionType.GaussianBlur, "gaussian_blur", "Gaussian blur; parameter: sigma in pixels (kernel 2*ceil(2*sigma)+1).", [0.1, 0.5, 1, 2, 5]),
        Faithful(DistortionType.LensBlur, "lens_blur", "Pillbox (fspecial disk) blur; parameter: radius in pixels.", [1, 2, 4, 6, 8]),
        Faithful(DistortionType.MotionBlur, "motion_blur", "Linear motion blur (fspecial motion) at a random angle in [0, 180] degrees; parameter: length in pixels.", [1, 2, 4, 6, 10]),
        Faithful(DistortionType.ColorDiffusion, "color_diffusion", "Lab a*/b* blurred with sigma = 1.5*amount + 2 and scaled by amount; parameter: amount.", [1, 3, 6, 8, 12]),
        Faithful(DistortionType.ColorShift, "color_shift", "Green channel shifted by amount pixels in a random direction, blended in along edges; parameter: amount.", [1, 3, 6, 8, 12]),
        Substituted(
            DistortionType.ColorQuantization,
            "color_quantization",
            "Quantisation to a palette of n colours with Floyd-Steinberg dithering; parameter: n.",
            [64, 48, 32, 16, 8],
            "Palette by Wu's variance-minimising box split on a 5-bit-per-channel histogram, a minimum-variance quantiser like MATLAB rgb2ind(rgb, n); palettes can differ in detail from MATLAB's."),
        Faithful(DistortionType.ColorSaturation1, "color_saturation_1", "HSV saturation multiplied by a factor (negative swaps towards the complementary hue); parameter: factor.", [0.4, 0.2, 0.1, 0, -0.4]),
        Faithful(DistortionType.ColorSaturation2, "color_saturation_2", "Lab a*/b* multiplied by a factor (over-saturation); parameter: factor.", [1, 2, 3, 6, 9]),
        Substituted(
            DistortionType.Jpeg2000,
            "jpeg2000",
            "JPEG 2000 compression; parameter: compression ratio against 24 bit/pixel.",
            [16, 32, 45, 120, 400],
            "No JPEG 2000 encoder is available: CDF 9/7 wavelet (5 levels) on the ICT colour transform, dead-zone quantisation with one MSE-weighted step for all bands, the step chosen so that a context-conditioned entropy estimate of the coefficients fills the ratio's size after 280 header bytes and a 1.6x coding overhead (both fitted to OpenJPEG). No EBCOT bit-plane coding or layer truncation: the rate is estimated, not produced; PSNR within 1.5 dB of OpenJPEG on the reference images."),
        Faithful(DistortionType.Jpeg, "jpeg", "JPEG compression (libjpeg-turbo through SkiaSharp, IJG quality scale, 4:2:0); parameter: quality.", [43, 36, 24, 7, 4]),
        Faithful(DistortionType.WhiteNoise, "white_noise", "Additive Gaussian noise in RGB, clipped; parameter: variance.", [0.001, 0.002, 0.003, 0.005, 0.01]),
        Faithful(DistortionType.WhiteNoiseColorComponent, "white_noise_color_component", "Additive Gaussian noise in studio-range YCbCr, clipped; parameter: variance.", [0.0001, 0.0005, 0.001, 0.002, 0.003]),
        Faithful(DistortionType.ImpulseNoise, "impulse_noise", "Salt-and-pepper noise on each sample independently; parameter: density.", [0.001, 0.005, 0.01, 0.02, 0.03]),
        Faithful(DistortionType.MultiplicativeNoise, "multiplicative_noise", "Speckle noise I + n*I, n uniform with zero mean; parameter: variance of n.", [0.001, 0.005, 0.01, 0.02, 0.05]),
        Substituted(
            DistortionType.Denoise,
            "denoise",
            "Gaussian noise of the given variance, then denoised per RGB channel; parameter: noise variance.",
            [0.01, 0.03, 0.05, 0.1, 0.15],
            "KADID denoises with MATLAB's pretrained DnCNN, which is not available: BayesShrink soft thresholding in a 4-level CDF 9/7 wavelet domain with the known noise level, averaged over four one-pixel cycle spins."),
        Faithful(DistortionType.Brighten, "brighten", "Brightening tone curve, two thirds in RGB and one third on Lab L*; parameter: amount.", [0.1, 0.2, 0.4, 0.7, 1.1]),
        Faithful(DistortionType.Darken, "darken", "Darkening tone curve in RGB; parameter: amount.", [0.05, 0.1, 0.2, 0.4, 0.8]),
        NotMonotone(DistortionType.MeanShift, "mean_shift", "Constant added to every sample, clipped; parameter: shift (level 3 leaves the image unchanged).", [0.15, 0.08, 0, -0.08, -0.15]),
        Substituted(
            DistortionType.Jitter,
            "jitter",
            "Five rounds of warping by independent per-pixel Gaussian displacements; parameter: displacement standard deviation in pixels.",
            [0.05, 0.1, 0.2, 0.5, 1],
            "Bicubic (Keys, a = -0.5) resampling with replicated borders; KADID's imwarpmap is bicubic too, but its border handling is not published."),
        Faithful(DistortionType.NonEccentricityPatch, "non_eccentricity_patch", "16x16 patches copied to a random offset of up to 8 pixels; parameter: number of patches.", [20, 40, 60, 80, 100]),
        Faithful(DistortionType.Pixelate, "pixelate", "Nearest-neighbour down- and up-scaling by z = 0.95 - strength^0.6; parameter: strength.", [0.01, 0.05, 0.1, 0.2, 0.5]),
        Substituted(
            DistortionType.Quantization,
            "quantization",
            "Samples quantised with multi-level Otsu thresholds over all channels; parameter: number of thresholds.",
            [20, 16, 13, 10, 7],
            "Thresholds by exact dynamic programming over a 256-bin histogram; MATLAB's multithresh searches the same criterion iteratively, so its thresholds can differ slightly."),
        Faithful(DistortionType.ColorBlock, "color_block", "32x32 blocks of random uniform colour at random places; parameter: number of blocks.", [2, 4, 6, 8, 10]),
        Faithful(DistortionType.HighSharpen, "high_sharpen", "Unsharp masking of Lab L* (Gaussian sigma 3) as MATLAB imsharpen; parameter: amount.", [1, 2, 3, 6, 12]),
        NotMonotone(DistortionType.ContrastChange, "contrast_change", "Spline tone curve through (0.3, 0.25 - a/4), (0.5, 0.5), (0.7, 0.75 + a/4); positive a raises contrast, negative lowers it, a = 0 (level 3) is already a mild increase; parameter: a.", [0.3, 0.15, 0, -0.4, -0.6]),
    ];

    private static readonly FrozenDictionary<string, DistortionType> s_byName =
        s_all.ToFrozenDictionary(info => info.Name, info => info.Type, StringComparer.OrdinalIgnoreCase);

    /// <summary>All 25 types, in KADID order.</summary>
    public static IReadOnlyList<DistortionInfo> All { get; } = Array.AsReadOnly(s_all);

    public static DistortionInfo Get(DistortionType type)
    {
        int index = (int)type - 1;
        if (index < 0 || index >= s_all.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(type), type, "Not a KADID-10k distortion type.");
        }

        return s_all[index];
    }

    /// <summary>Parses a snake_case name (e.g. "gaussian_blur"), ignoring case.</summary>
    public static bool TryParse(string? name, out DistortionType type)
    {
        if (name is not null && s_byName.TryGetValue(name, out type))
        {
            return true;
        }

        type = default;
        return false;
    }

    private static DistortionInfo Faithful(DistortionType type, string name, string description, double[] levels) =>
        new(type, name, description, Array.AsReadOnly(levels), QualityFallsWithLevel: true, Substitution: null);

    private static DistortionInfo NotMonotone(DistortionType type, string name, string description, double[] levels) =>
        new(type, name, description, Array.AsReadOnly(levels), QualityFallsWithLevel: false, Substitution: null);

    private static DistortionInfo Substituted(DistortionType type, string name, string description, double[] levels, string substitution) =>
        new(type, name, description, Array.AsReadOnly(levels), QualityFallsWithLevel: true, substitution);
}
