using MetaQap.Imaging.Decoding;

namespace MetaQap.Imaging.Pristine;

/// <summary>Which photos a <see cref="FolderPristineSource"/> uses and how it cuts samples from them.</summary>
public sealed record FolderSourceOptions
{
    public static readonly FolderSourceOptions Default = new();

    /// <summary>Source name (the prefix of content ids in a composite); defaults to the folder's own name.</summary>
    public string? Name { get; init; }

    /// <summary>
    /// Glob patterns of photos to leave out, e.g. for unknown licences. A pattern without '/' matches the file name,
    /// one with '/' the path relative to the folder; '*' and '?' stay within a path segment, '**' crosses them.
    /// Matching ignores case, erring on the side of leaving a photo out.
    /// </summary>
    public IReadOnlyList<string> Exclude { get; init; } = [];

    /// <summary>Photos whose shorter side is below this are left out when the folder is scanned (0: keep all).</summary>
    public int MinSide { get; init; }

    /// <summary>
    /// When set, each photo is first scaled (once, when decoded) so that its shorter side is this many pixels, if it
    /// is longer: samples then see the photo as a scorer that views it at this side does, not its native pixels.
    /// <see cref="MinScale"/> applies to the scaled photo; null: native pixels.
    /// </summary>
    public int? ViewSide { get; init; }

    /// <summary>Smallest random downscale factor before cropping (log-uniform in [MinScale, 1]); 1 disables it.</summary>
    public float MinScale { get; init; } = 0.25f;

    /// <summary>
    /// Upper bound on the memory of decoded photos kept for reuse, least recently used going first. Photos are kept
    /// as 8-bit RGB (3 bytes a pixel): the default holds about 40 photos of 2560×1600. Size it to the folder when
    /// you can: sampling contents in turn from more photos than fit decodes every time.
    /// </summary>
    public long CacheBytes { get; init; } = 512L * 1024 * 1024;

    /// <summary>Limits for decoding; the decoder's defaults when null.</summary>
    public DecodeOptions? Decode { get; init; }
}
