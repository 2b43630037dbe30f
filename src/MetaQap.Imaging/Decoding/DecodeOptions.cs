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
}
