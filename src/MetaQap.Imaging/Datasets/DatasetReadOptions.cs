namespace MetaQap.Imaging.Datasets;

/// <summary>How <see cref="DatasetReader"/> reads a manifest.</summary>
public sealed record DatasetReadOptions
{
    /// <summary>Report a row whose image file does not exist as a bad row (and require the images folder).</summary>
    public bool CheckImagesExist { get; init; } = true;

    /// <summary>Read only the first this many data rows (blank lines do not count); null reads them all.</summary>
    public int? Limit { get; init; }

    /// <summary>
    /// The folder the manifest's image names are relative to, overriding the format's default
    /// (<c>images/</c>, <c>Images/</c>, or KonIQ-10k's <c>1024x768/</c> then <c>512x384/</c>). Relative paths are
    /// taken from the manifest's folder.
    /// </summary>
    public string? ImagesFolder { get; init; }
}
