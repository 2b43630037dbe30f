namespace MetaQap.Imaging.Distortions;

/// <summary>The 25 KADID-10k distortion types, numbered as in KADID (Lin, Hosu, Saupe, QoMEX 2019).</summary>
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
