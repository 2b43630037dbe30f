namespace MetaQap.Imaging.Decoding;

/// <summary>Limits applied before any pixel is decoded.</summary>
public sealed record DecodeOptions
{
    public static readonly DecodeOptions Default = new();

    /// <summary>Largest accepted width × height as declared by the header (default 50 MP, about 8660 × 5770).</summary>
    public long MaxPixels { get; init; } = 50_000_000;

    /// <summary>Largest accepted file size in bytes (default 64 MiB).</summary>
    public long MaxBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Whether to apply the EXIF orientation so the pixels are upright as a viewer shows them.</summary>
    public bool ApplyOrientation { get; init; } = true;

    /// <summary>
    /// When set, a codec that can decode at reduced size (JPEG: k/8 of each side, in the DCT) may return a smaller
    /// image whose shorter side is still at least this many pixels; the image is never enlarged and formats without
    /// scaled decoding come back at full size. For a scorer that scales every image's shorter side down to a view
    /// side anyway, decoding a 1080p JPEG at 1/2 skips three quarters of the decode and float conversion. Null
    /// (default): full size.
    /// </summary>
    public int? MinShorterSide { get; init; }
}
