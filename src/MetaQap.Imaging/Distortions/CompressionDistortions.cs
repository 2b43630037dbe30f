using MetaQap.Imaging.Decoding;
using MetaQap.Imaging.Pixels;

namespace MetaQap.Imaging.Distortions;

/// <summary>KADID types 9–10: JPEG2000 (wavelet substitute, see <see cref="WaveletCodec"/>) and JPEG.</summary>
internal static class CompressionDistortions
{
    /// <summary>Encodes and decodes with libjpeg-turbo (through Skia) at the IJG quality KADID uses.</summary>
    public static RgbImage Jpeg(RgbImage image, int quality) =>
        ImageDecoder.Decode(ImageEncoder.EncodeJpeg(image, quality));

    public static void Jpeg2000(RgbImage image, double compressionRatio)
    {
        ColorSpaces.RgbToYCbCr(image);
        WaveletCodec.CompressPlanes(image, bitsPerPixel: 24.0 / compressionRatio);
        ColorSpaces.YCbCrToRgb(image);
    }
}
