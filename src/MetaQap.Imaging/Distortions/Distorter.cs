using MetaQap.Imaging.Distortions.Families;
using MetaQap.Imaging.Distortions.Support;
using MetaQap.Imaging.Pixels;

namespace MetaQap.Imaging.Distortions;

/// <summary>Applies one KADID-10k distortion at one of its five levels.</summary>
public static class Distorter
{
    /// <summary>
    /// Returns a distorted copy of <paramref name="source"/> (same size, samples in [0, 1], never NaN); the source
    /// is not modified. The same source, type, level and seed always give the same image. As KADID's generator
    /// does, the image is min-max normalised before distorting and the result min-max normalised after; here the
    /// result is mapped back onto the source's own range, so a full-range source is treated exactly as in KADID
    /// and a low-contrast one is not stretched.
    /// </summary>
    public static RgbImage Apply(RgbImage source, DistortionType type, int level, int seed)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfLessThan(level, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(level, 5);
        double parameter = DistortionCatalog.Get(type).LevelParameters[level - 1];

        var range = SampleRange.Of(source);
        RgbImage work = range.Normalize(source);
        var random = new DistortionRandom(seed, (int)type);
        RgbImage result = type switch
        {
            DistortionType.GaussianBlur => BlurDistortions.Gaussian(work, parameter),
            DistortionType.LensBlur => BlurDistortions.Lens(work, (int)parameter),
            DistortionType.MotionBlur => BlurDistortions.Motion(work, parameter, random),
            DistortionType.ColorDiffusion => ColorDistortions.Diffusion(work, parameter),
            DistortionType.ColorShift => ColorShift.Apply(work, parameter, random),
            DistortionType.ColorQuantization => ColorQuantizer.Quantize(work, (int)parameter),
            DistortionType.ColorSaturation1 => ColorDistortions.SaturationHsv(work, parameter),
            DistortionType.ColorSaturation2 => ColorDistortions.SaturationLab(work, parameter),
            DistortionType.Jpeg2000 => Jpeg2000Substitute.Compress(work, parameter),
            DistortionType.Jpeg => JpegCompression.Compress(work, (int)parameter),
            DistortionType.WhiteNoise => NoiseDistortions.White(work, parameter, random),
            DistortionType.WhiteNoiseColorComponent => NoiseDistortions.WhiteInYCbCr(work, parameter, random),
            DistortionType.ImpulseNoise => NoiseDistortions.Impulse(work, parameter, random),
            DistortionType.MultiplicativeNoise => NoiseDistortions.Multiplicative(work, parameter, random),
            DistortionType.Denoise => NoiseDistortions.Denoised(work, parameter, random),
            DistortionType.Brighten => BrightnessDistortions.Brighten(work, parameter),
            DistortionType.Darken => BrightnessDistortions.Darken(work, parameter),
            DistortionType.MeanShift => BrightnessDistortions.MeanShift(work, parameter),
            DistortionType.Jitter => SpatialDistortions.Jitter(work, parameter, random),
            DistortionType.NonEccentricityPatch => SpatialDistortions.NonEccentricityPatches(work, (int)parameter, random),
            DistortionType.Pixelate => SpatialDistortions.Pixelate(work, parameter),
            DistortionType.Quantization => OtsuQuantization.Apply(work, (int)parameter),
            DistortionType.ColorBlock => SpatialDistortions.ColorBlocks(work, (int)parameter, random),
            DistortionType.HighSharpen => SharpnessContrastDistortions.HighSharpen(work, parameter),
            DistortionType.ContrastChange => SharpnessContrastDistortions.ContrastChange(work, parameter),
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Not a KADID-10k distortion type."),
        };

        range.Restore(result);
        return result;
    }
}
