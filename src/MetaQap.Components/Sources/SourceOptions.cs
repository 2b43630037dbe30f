using System.ComponentModel.DataAnnotations;
using System.Net;

namespace MetaQap.Components.Sources;

/// <summary>Where images may come from, and the limits applied before any pixel is decoded (DESIGN.md §4).</summary>
public sealed class SourceOptions
{
    public const string SectionName = "MetaQap:Sources";

    /// <summary>
    /// Folders that file references may point into. A relative path is taken relative to the first. Empty: no file
    /// reference is accepted (every one fails with AccessDenied).
    /// </summary>
    public string[] FileRoots { get; set; } = [];

    /// <summary>
    /// Host names that http(s) references may use: exact names, or <c>*.example.com</c> for any subdomain. Empty:
    /// any host, still subject to <see cref="AllowPrivateNetworks"/>.
    /// </summary>
    public string[] AllowedHosts { get; set; } = [];

    /// <summary>
    /// Allow loopback, private (RFC 1918, fc00::/7), link-local, CGNAT and other non-public addresses. Off by
    /// default: a URL that resolves to one of them is refused (SSRF), also after a redirect.
    /// </summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>
    /// Non-public networks that http(s) references may reach all the same, in CIDR notation (an internal image
    /// store: <c>10.20.0.0/16</c>). Everything else non-public stays refused, cloud metadata (169.254.169.254)
    /// included unless listed. Empty by default.
    /// </summary>
    public string[] AllowedNetworks { get; set; } = [];

    /// <summary>The whole download, redirects included.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan HttpTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The deadline of every fetch, file reads included: a source that stalls (a hung network share, a slow disk)
    /// fails that image alone with FetchTimeout, and its batch goes on without it. It bounds how long one image can
    /// hold its batch.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan FetchTimeout { get; set; } = TimeSpan.FromSeconds(30);

    [Range(0, 10)]
    public int MaxRedirects { get; set; } = 3;

    /// <summary>Largest file or download, in bytes (default 32 MiB).</summary>
    [Range(1, long.MaxValue)]
    public long MaxBytes { get; set; } = 32L * 1024 * 1024;

    /// <summary>Largest inline (base64) image, in decoded bytes (default 1 MiB).</summary>
    [Range(1, 64L * 1024 * 1024)]
    public long MaxInlineBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// Largest width × height an image header may declare (default 25 MP). Decoded images are float RGB (12 bytes a
    /// pixel), so this also bounds the memory a batch can take: MaxBatchSize × ConcurrentBatches × 12 × MaxPixels.
    /// </summary>
    [Range(1, 1_000_000_000)]
    public long MaxPixels { get; set; } = 25_000_000;

    /// <summary>How many images are fetched and decoded at once, across all batches in hand.</summary>
    [Range(1, 256)]
    public int FetchConcurrency { get; set; } = 8;

    internal bool HasValidNetworks() => AllowedNetworks.All(n => IPNetwork.TryParse(n, out _));

    internal IPNetwork[] ParsedNetworks() => AllowedNetworks.Select(n => IPNetwork.Parse(n)).ToArray();
}
