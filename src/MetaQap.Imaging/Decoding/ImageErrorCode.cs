namespace MetaQap.Imaging.Decoding;

/// <summary>Why an image could not be decoded. The worker maps these onto the Contracts' failure codes.</summary>
public enum ImageErrorCode
{
    /// <summary>Zero bytes.</summary>
    Empty,

    /// <summary>Not one of the supported formats (JPEG, PNG, WebP, BMP): random bytes, text, GIF, HEIF …</summary>
    UnsupportedFormat,

    /// <summary>The header or the compressed data is malformed.</summary>
    Corrupt,

    /// <summary>The file ends before the image data does (a cut-off download, a partial write).</summary>
    Truncated,

    /// <summary>The file, or the pixel count its header declares, is over the configured limit.</summary>
    TooLarge,
}
