using System.Text.Json;

namespace MetaQap.Modeling.Artifacts;

/// <summary>Manifest text to and from <see cref="EnsembleManifest"/>, with the format version checked first.</summary>
internal static class ManifestJson
{
    private const string FormatVersionPath = "$.format_version";

    /// <summary>Parses and structurally validates manifest text (weights files are not looked at).</summary>
    public static EnsembleManifest Parse(string json)
    {
        // The version is read on its own first: a newer format may have a shape this build cannot deserialize, and
        // "format 2 is newer" is the message that helps, not "unknown field".
        CheckFormatVersion(json);

        EnsembleManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize(json, ManifestJsonContext.Default.EnsembleManifest);
        }
        catch (JsonException e)
        {
            throw new ArtifactException(
                ArtifactErrorCode.InvalidManifest, $"manifest.json is invalid at {e.Path ?? "$"}: {e.Message}", e.Path ?? "$", e);
        }

        if (manifest is null)
        {
            throw new ArtifactException(ArtifactErrorCode.InvalidManifest, "manifest.json holds null, not an object.", "$");
        }

        ManifestValidator.Validate(manifest);
        return manifest;
    }

    public static byte[] Serialize(EnsembleManifest manifest) =>
        JsonSerializer.SerializeToUtf8Bytes(manifest, ManifestJsonContext.Default.EnsembleManifest);

    private static void CheckFormatVersion(string json)
    {
        int version;
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw Invalid($"manifest.json must hold a JSON object, not {document.RootElement.ValueKind}.", "$");
            }

            if (!document.RootElement.TryGetProperty("format_version", out var element))
            {
                throw Invalid($"manifest.json {FormatVersionPath} is missing.", FormatVersionPath);
            }

            if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt32(out version))
            {
                throw Invalid($"manifest.json {FormatVersionPath} must be an integer, got {element.GetRawText()}.", FormatVersionPath);
            }
        }
        catch (JsonException e)
        {
            throw new ArtifactException(
                ArtifactErrorCode.InvalidManifest,
                $"manifest.json is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}): {e.Message}",
                "$",
                e);
        }

        if (version > EnsembleManifest.CurrentFormatVersion)
        {
            throw new ArtifactException(
                ArtifactErrorCode.UnsupportedFormatVersion,
                $"manifest format {version} is newer than this build supports ({EnsembleManifest.CurrentFormatVersion}); upgrade MetaQAP to load this ensemble.",
                FormatVersionPath);
        }

        if (version < EnsembleManifest.CurrentFormatVersion)
        {
            throw new ArtifactException(
                ArtifactErrorCode.UnsupportedFormatVersion,
                $"manifest format {version} is not supported; this build reads format {EnsembleManifest.CurrentFormatVersion}.",
                FormatVersionPath);
        }
    }

    private static ArtifactException Invalid(string message, string path) =>
        new(ArtifactErrorCode.InvalidManifest, message, path);
}
