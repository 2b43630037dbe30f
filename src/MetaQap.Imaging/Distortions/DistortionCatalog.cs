namespace MetaQap.Imaging.Distortions;

/// <summary>The 25 KADID-10k distortion types with the level parameters of its reference generator.</summary>
public static class DistortionCatalog
{
    private static readonly DistortionInfo[] Infos =
    [
        new(DistortionType.GaussianBlur, "gaussian_blur", "Gaussian blur, sigma in pixels", [0.1, 0.5, 1, 2, 5], true, null),
        new(DistortionType.LensBlur, "lens_blur", "Disk (defocus) blur, radius in pixels", [1, 2, 4, 6, 8], true, null),
        new(DistortionType.MotionBlur, "motion_blur", "Linear motion blur, length in pixels, seeded direction", [1, 2, 4, 6, 10], true, null),
        new(DistortionType.ColorDiffusion, "color_diffusion", "Gaussian blur of the CIELAB a*, b* planes, sigma in pixels", [1, 3, 6, 8, 12], true, null),
        new(DistortionType.ColorShift, "color_shift", "Green plane shifted by N pixels where edges are strong", [1, 3, 6, 8, 12], true, null),
        new(DistortionType.ColorQuantization, "color_quantization", "Palette of N colours (minimum-variance cuts), no dithering", [64, 48, 32, 16, 8], true, null),
        new(DistortionType.ColorSaturation1, "color_saturation_1", "HSV saturation multiplied by the factor (negative inverts hues)", [0.4, 0.2, 0.1, 0, -0.4], true, null),
        new(DistortionType.ColorSaturation2, "color_saturation_2", "CIELAB a*, b* multiplied by the factor (over-saturation)", [1, 2, 3, 6, 9], true, null),
        new(DistortionType.Jpeg2000, "jpeg2000", "Wavelet compression at the given compression ratio", [16, 32, 45, 120, 400], true,
            "No JPEG2000 encoder is available: CDF 9/7 wavelet (5 levels, irreversible colour transform) with dead-zone scalar quantisation; the step is searched so the zeroth-order entropy of the quantised coefficients meets the ratio (24/ratio bits per pixel). No EBCOT/tier-2 coding, so ratios are estimates, but the artefacts (blur, ringing) are JPEG2000's."),
        new(DistortionType.Jpeg, "jpeg", "Baseline JPEG (libjpeg-turbo via Skia) at IJG quality", [43, 36, 24, 7, 4], true, null),
        new(DistortionType.WhiteNoise, "white_noise", "Additive Gaussian noise in RGB, variance", [0.001, 0.002, 0.003, 0.005, 0.01], true, null),
        new(DistortionType.WhiteNoiseColorComponent, "white_noise_color_component", "Additive Gaussian noise on the YCbCr chroma planes, variance", [0.0001, 0.0005, 0.001, 0.002, 0.003], true, null),
        new(DistortionType.ImpulseNoise, "impulse_noise", "Salt-and-pepper noise, density", [0.001, 0.005, 0.01, 0.02, 0.03], true, null),
        new(DistortionType.MultiplicativeNoise, "multiplicative_noise", "Speckle noise I + n*I, n uniform with this variance", [0.001, 0.005, 0.01, 0.02, 0.05], true, null),
        new(DistortionType.Denoise, "denoise", "White noise of this standard deviation, then denoised", [0.01, 0.03, 0.05, 0.1, 0.15], true,
            "KADID denoises with DnCNN, which is not available: the noisy image is denoised with non-local means (weights from luma patches 5x5, search 7x7, h = 0.8 sigma, applied to all channels), which leaves the same kind of over-smoothed, waxy texture."),
        new(DistortionType.Brighten, "brighten", "Non-linear brightening of CIELAB L*", [0.1, 0.2, 0.4, 0.7, 1.1], true, null),
        new(DistortionType.Darken, "darken", "Non-linear darkening of CIELAB L*", [0.05, 0.1, 0.2, 0.4, 0.8], true, null),
        new(DistortionType.MeanShift, "mean_shift", "Constant added to every channel (level 3 = unchanged)", [0.15, 0.08, 0, -0.08, -0.15], false, null),
        new(DistortionType.Jitter, "jitter", "Pixels displaced by random offsets, amount in pixels", [0.05, 0.1, 0.2, 0.5, 1], true, null),
        new(DistortionType.NonEccentricityPatch, "non_eccentricity_patch", "N 16x16 patches replaced by nearby patches", [20, 40, 60, 80, 100], true, null),
        new(DistortionType.Pixelate, "pixelate", "Pixelated into square cells of round(2 + 16f) pixels (cell means)", [0.01, 0.05, 0.1, 0.2, 0.5], true, null),
        new(DistortionType.Quantization, "quantization", "Each channel quantised to N levels at Otsu-style multi-thresholds", [20, 16, 13, 10, 7], true, null),
        new(DistortionType.ColorBlock, "color_block", "N uniformly coloured 32x32 blocks pasted at random places", [2, 4, 6, 8, 10], true, null),
        new(DistortionType.HighSharpen, "high_sharpen", "Unsharp masking of CIELAB L*, amount", [1, 2, 3, 6, 12], true, null),
        new(DistortionType.ContrastChange, "contrast_change", "Contrast changed around mid-grey (level 3 = unchanged; negative = lower)", [0.3, 0.15, 0, -0.4, -0.6], false, null),
    ];

    private static readonly Dictionary<string, DistortionType> ByName =
        Infos.ToDictionary(i => i.Name, i => i.Type, StringComparer.OrdinalIgnoreCase);

    public static IReadOnlyList<DistortionInfo> All { get; } = Infos;

    public static DistortionInfo Get(DistortionType type) =>
        Enum.IsDefined(type) ? Infos[(int)type - 1] : throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown distortion type.");

    /// <summary>Parses a snake_case name (case-insensitive), e.g. "motion_blur".</summary>
    public static bool TryParse(string name, out DistortionType type) =>
        ByName.TryGetValue(name ?? string.Empty, out type);
}
