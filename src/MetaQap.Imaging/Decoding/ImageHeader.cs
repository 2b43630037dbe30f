namespace MetaQap.Imaging.Decoding;

/// <summary>The container formats the service accepts.</summary>
public enum ImageFormat
{
    Jpeg,
    Png,
    Webp,
    Bmp,
}

/// <summary>Format and declared dimensions, read from the first bytes without decoding any pixel.</summary>
public readonly record struct ImageHeader(ImageFormat Format, int Width, int Height)
{
    public long PixelCount => (long)Width * Height;
}
