namespace MetaQap.Imaging.Distortions.Support;

/// <summary>
/// BT.601 YCbCr in MATLAB's rgb2ycbcr form for double images: studio range, Y in [16, 235]/255 and chroma in
/// [16, 240]/255. KADID adds its colour-component noise in this space, so the noise variance is relative to it.
/// </summary>
internal static class YCbCrConversion
{
    public static (float Y, float Cb, float Cr) FromRgb(float r, float g, float b) =>
        ((16f + (65.481f * r) + (128.553f * g) + (24.966f * b)) / 255f,
         (128f - (37.797f * r) - (74.203f * g) + (112.0f * b)) / 255f,
         (128f + (112.0f * r) - (93.786f * g) - (18.214f * b)) / 255f);

    /// <summary>The exact inverse of <see cref="FromRgb"/> (not clipped).</summary>
    public static (float R, float G, float B) ToRgb(float y, float cb, float cr)
    {
        // Inverse of the 3x3 studio-range matrix, scaled by 255; offsets removed first.
        float yy = (y * 255f) - 16f, pb = (cb * 255f) - 128f, pr = (cr * 255f) - 128f;
        return ((0.00456621f * yy) + (0.00625893f * pr),
                (0.00456621f * yy) - (0.00153632f * pb) - (0.00318811f * pr),
                (0.00456621f * yy) + (0.00791071f * pb));
    }
}
