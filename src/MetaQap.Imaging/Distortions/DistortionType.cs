namespace MetaQap.Imaging.Distortions;

/// <summary>The 25 distortion types of KADID-10k, numbered as in its file names (I01_07_03 = type 7, level 3).</summary>
public enum DistortionType
{
    GaussianBlur = 1,
    LensBlur,
    MotionBlur,
    ColorDiffusion,
    ColorShift,
    ColorQuantization,
    ColorSaturation1,
    ColorSaturation2,
    Jpeg2000,
    Jpeg,
    WhiteNoise,
    WhiteNoiseColorComponent,
    ImpulseNoise,
    MultiplicativeNoise,
    Denoise,
    Brighten,
    Darken,
    MeanShift,
    Jitter,
    NonEccentricityPatch,
    Pixelate,
    Quantization,
    ColorBlock,
    HighSharpen,
    ContrastChange,
}
