namespace MetaQap.Contracts;

/// <summary>
/// Where one image comes from: exactly one of <see cref="Uri"/> and <see cref="Base64"/> is set; anything else
/// fails the image with <see cref="FailureCode.InvalidReference"/>.
/// </summary>
public sealed record ImageReference
{
    /// <summary>The producer's id for the image, unique within the job (1–200 characters).</summary>
    public required string Id { get; init; }

    /// <summary>
    /// A path or <c>file://</c> URI under one of the worker's file roots (a relative path is taken relative to the
    /// first root), or an <c>http://</c> / <c>https://</c> URL the worker may fetch (allow-list, no private
    /// addresses unless configured).
    /// </summary>
    public string? Uri { get; init; }

    /// <summary>The encoded image itself (JPEG, PNG, WebP or BMP), base64; capped by the worker (1 MiB by default).</summary>
    public string? Base64 { get; init; }
}
