using System.Text.Json.Serialization;

namespace MetaQap.Contracts;

/// <summary>
/// Why an image got no score. Serialised as its name (<c>"NotFound"</c>). New codes may be added; existing names
/// never change meaning, so a subscriber should treat an unknown name as a generic failure.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<FailureCode>))]
public enum FailureCode
{
    /// <summary>The file does not exist, or the URL answered 404/410, or its host name does not resolve.</summary>
    NotFound,

    /// <summary>
    /// The worker may not read it: a path outside the file roots (absolute, <c>..</c>, or a symlink leading out),
    /// a host not on the allow-list, a loopback/private/link-local address (SSRF protection), HTTP 401/403, or a
    /// file-system permission error.
    /// </summary>
    AccessDenied,

    /// <summary>Over a limit: bytes (file, download or inline) or the pixel count the image header declares.</summary>
    TooLarge,

    /// <summary>Zero bytes.</summary>
    Empty,

    /// <summary>Not JPEG, PNG, WebP or BMP (a GIF, animated or not, included; an animated WebP is scored on its first frame).</summary>
    UnsupportedFormat,

    /// <summary>A supported format whose header or data is malformed.</summary>
    Corrupt,

    /// <summary>The data ends before the image does (a cut-off upload or download).</summary>
    Truncated,

    /// <summary>The download or file read did not finish within the worker's timeout (<c>HttpTimeout</c>, <c>FetchTimeout</c>).</summary>
    FetchTimeout,

    /// <summary>The download failed for another reason: connection refused or reset, HTTP 5xx, too many redirects.</summary>
    FetchFailed,

    /// <summary>
    /// The reference itself is unusable: neither or both of uri and base64, an unsupported URI scheme, a
    /// <c>file://</c> URI naming another host, a NUL character, or invalid base64. (An image without a usable id
    /// cannot have an outcome of its own: its whole message is refused. Of an id repeated in one message the first
    /// is used.)
    /// </summary>
    InvalidReference,

    /// <summary>The message asked for a model version other than the one the worker has loaded.</summary>
    ModelVersionUnavailable,

    /// <summary>The model failed on this image (the rest of its batch was scored without it).</summary>
    InferenceFailed,

    /// <summary>
    /// No worker stored a result within the pending timeout (<c>MetaQap:Jobs:PendingTimeout</c>): the image's work
    /// item was lost, e.g. moved to an error queue after its retries, so the job completes instead of staying open.
    /// </summary>
    Expired,

    /// <summary>
    /// A file reference names something other than a regular file: a named pipe (FIFO), a socket, a character or
    /// block device, a folder. It is refused on the opened descriptor, before any byte is read.
    /// </summary>
    NotRegularFile,
}
