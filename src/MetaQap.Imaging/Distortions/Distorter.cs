using MetaQap.Imaging.Pixels;

namespace MetaQap.Imaging.Distortions;

/// <summary>Applies one of the 25 KADID-10k distortions at a level from 1 (mild) to 5 (severe).</summary>
public static class Distorter
{
    /// <summary>
    /// Returns a distorted copy of <paramref name="source"/> (never modified), clamped to [0, 1]. Random distortions
    /// draw only from <paramref name="seed"/>, so the same inputs always give the same pixels.
    /// </summary>
    public static RgbImage Apply(RgbImage source, DistortionType type, int level, int seed)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfLessThan(level, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(level, 5);
        double p = DistortionCatalog.Get(type).LevelParameters[level - 1];
        var rng = new Random(seed);
        RgbImage image = source.Clone();

        switch (type)
        {
            case DistortionType.GaussianBlur: BlurDistortions.Gaussian(image, p); break;
            case DistortionType.LensBlur: BlurDistortions.Lens(image, p); break;
            case DistortionType.MotionBlur: BlurDistortions.Motion(image, p, rng); break;
            case DistortionType.ColorDiffusion: ColorDistortions.Diffusion(image, p); break;
            case DistortionType.ColorShift: ColorDistortions.Shift(image, p, rng); break;
            case DistortionType.ColorQuantization: ColorDistortions.Quantize(image, (int)p, rng); break;
            case DistortionType.ColorSaturation1: ColorDistortions.SaturationHsv(image, p); break;
            case DistortionType.ColorSaturation2: ColorDistortions.SaturationLab(image, p); break;
            case DistortionType.Jpeg2000: CompressionDistortions.Jpeg2000(image, p); break;
            case DistortionType.Jpeg: image = CompressionDistortions.Jpeg(image, (int)p); break;
            case DistortionType.WhiteNoise: NoiseDistortions.White(image, p, rng); break;
            case DistortionType.WhiteNoiseColorComponent: NoiseDistortions.ColorComponent(image, p, rng); break;
            case DistortionType.ImpulseNoise: NoiseDistortions.Impulse(image, p, rng); break;
            case DistortionType.MultiplicativeNoise: NoiseDistortions.Multiplicative(image, p, rng); break;
            case DistortionType.Denoise: NoiseDistortions.Denoise(image, p, rng); break;
            case DistortionType.Brighten: ToneDistortions.Brighten(image, p); break;
            case DistortionType.Darken: ToneDistortions.Darken(image, p); break;
            case DistortionType.MeanShift: ToneDistortions.MeanShift(image, p); break;
            case DistortionType.Jitter: image = SpatialDistortions.Jitter(image, p, rng); break;
            case DistortionType.NonEccentricityPatch: SpatialDistortions.NonEccentricityPatches(image, p, rng); break;
            case DistortionType.Pixelate: image = SpatialDistortions.Pixelate(image, p); break;
            case DistortionType.Quantization: ToneDistortions.Quantize(image, (int)p); break;
            case DistortionType.ColorBlock: SpatialDistortions.ColorBlocks(image, p, rng); break;
            case DistortionType.HighSharpen: ToneDistortions.HighSharpen(image, p); break;
            case DistortionType.ContrastChange: ToneDistortions.Contrast(image, p); break;
            default: throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown distortion type.");
        }

        return image.Clamp01();
    }
}
