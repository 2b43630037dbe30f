using System.Text;
using System.Text.Json;
using MetaQap.Components.Sources;
using MetaQap.Contracts;
using Microsoft.Extensions.Options;

namespace MetaQap.Components.Scoring;

/// <summary>
/// Reads the image list of a job sent as <see cref="ScoreImages.ManifestUri"/>: a JSON Lines file (one
/// <see cref="ImageReference"/> object a line, blank lines ignored) fetched with the same rules as an image — file
/// roots, or http(s) with the allow-list, SSRF refusal, timeout and byte cap. A manifest that can never be read
/// (missing, refused, malformed, too many images) rejects the whole message; a timeout or server error is left to
/// the consumer's retries.
/// </summary>
public sealed class JobManifestReader(FileImageSource files, HttpImageSource http, IOptions<BatchingOptions> batching)
{
    private static readonly JsonSerializerOptions LineOptions = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    public async Task<IReadOnlyList<ImageReference>> ReadAsync(string manifestUri, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(manifestUri);
        byte[] bytes;
        try
        {
            bytes = ImageLocation.Parse(manifestUri, null) switch
            {
                FileLocation file => await files.ReadAsync(file, cancellationToken),
                HttpLocation web => await http.FetchAsync(web, cancellationToken),
                _ => throw new ImageFetchException(FailureCode.InvalidReference, "A manifest must be a file path or an http(s) URL."),
            };
        }
        catch (ImageFetchException e) when (e.Code is not (FailureCode.FetchTimeout or FailureCode.FetchFailed))
        {
            throw new InvalidScoringRequestException($"manifestUri: {e.Code}: {e.Message}", e);
        }

        return Parse(bytes, batching.Value.MaxImagesPerManifest);
    }

    /// <summary>Parses JSON Lines; every problem names its line.</summary>
    public static IReadOnlyList<ImageReference> Parse(byte[] bytes, int maxImages)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        string text;
        try
        {
            text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new InvalidScoringRequestException("manifestUri: the manifest is not UTF-8 text.", e);
        }

        var references = new List<ImageReference>();
        int lineNumber = 0;
        foreach (string raw in text.TrimStart('\uFEFF').Split('\n'))
        {
            lineNumber++;
            string line = raw.TrimEnd('\r');
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            if (references.Count == maxImages)
            {
                throw new InvalidScoringRequestException(
                    $"manifestUri: the manifest lists more than {maxImages} images (MaxImagesPerManifest); split the job.");
            }

            try
            {
                references.Add(JsonSerializer.Deserialize<ImageReference>(line, LineOptions)
                    ?? throw new JsonException("null is not an image reference."));
            }
            catch (JsonException e)
            {
                throw new InvalidScoringRequestException($"manifestUri: line {lineNumber}: {e.Message}", e);
            }
        }

        if (references.Count == 0)
        {
            throw new InvalidScoringRequestException("manifestUri: the manifest lists no images.");
        }

        return references;
    }
}
