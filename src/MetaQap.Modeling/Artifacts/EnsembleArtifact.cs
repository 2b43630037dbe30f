using System.Security.Cryptography;

namespace MetaQap.Modeling.Artifacts;

/// <summary>
/// Reads and writes ensemble folders: manifest.json plus the weights files it names (docs/model-artifact.md).
/// </summary>
public static class EnsembleArtifact
{
    /// <summary>File name of the manifest inside an ensemble folder.</summary>
    public const string ManifestFileName = "manifest.json";

    /// <summary>
    /// Reads <c>manifest.json</c> from <paramref name="directory"/>, validates it and verifies every weights file's
    /// SHA-256; throws <see cref="ArtifactException"/> with the reason otherwise.
    /// </summary>
    public static EnsembleManifest Load(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var manifestPath = Path.Combine(directory, ManifestFileName);
        if (!File.Exists(manifestPath))
        {
            throw new ArtifactException(
                ArtifactErrorCode.MissingManifest,
                Directory.Exists(directory)
                    ? $"No {ManifestFileName} in ensemble folder {Path.GetFullPath(directory)}."
                    : $"Ensemble folder {Path.GetFullPath(directory)} does not exist.");
        }

        var manifest = ManifestJson.Parse(File.ReadAllText(manifestPath));
        VerifyWeights(directory, manifest);
        return manifest;
    }

    /// <summary>
    /// Validates <paramref name="manifest"/> against the weights files already in <paramref name="directory"/> and
    /// writes it as <c>manifest.json</c> atomically (a temporary file in the same folder, flushed, then renamed over
    /// the old manifest), so a reader sees either the old manifest or the new one, never a torn file.
    /// </summary>
    public static void Save(string directory, EnsembleManifest manifest)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentNullException.ThrowIfNull(manifest);
        ManifestValidator.Validate(manifest);
        VerifyWeights(directory, manifest);

        var bytes = ManifestJson.Serialize(manifest);
        var temporary = Path.Combine(directory, $".{ManifestFileName}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, Path.Combine(directory, ManifestFileName), overwrite: true);
        }
        finally
        {
            File.Delete(temporary); // no-op after a successful rename
        }
    }

    /// <summary>Whether <paramref name="version"/> is one a manifest accepts (letters, digits, '.', '_', '-'; up to 128; starting with a letter or digit).</summary>
    public static bool IsValidVersion(string? version) => ManifestValidator.IsIdentifier(version);

    /// <summary>SHA-256 of a file's bytes as 64 lowercase hex digits, streamed.</summary>
    public static string Sha256Of(string file)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(file);
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static void VerifyWeights(string directory, EnsembleManifest manifest)
    {
        for (var i = 0; i < manifest.BaseModels.Count; i++)
        {
            var model = manifest.BaseModels[i];
            var jsonPath = $"$.base_models[{i}].weights_file";
            var file = WeightsPath.Resolve(directory, model.WeightsFile, jsonPath);
            if (!File.Exists(file))
            {
                throw new ArtifactException(
                    ArtifactErrorCode.MissingWeights,
                    $"Weights file '{model.WeightsFile}' of base model '{model.Name}' is missing from {Path.GetFullPath(directory)}.",
                    jsonPath);
            }

            var actual = Sha256Of(file);
            if (!string.Equals(actual, model.Sha256, StringComparison.Ordinal))
            {
                throw new ArtifactException(
                    ArtifactErrorCode.ChecksumMismatch,
                    $"Weights file '{model.WeightsFile}' of base model '{model.Name}' has sha256 {actual}, but the manifest expects {model.Sha256}; the file is corrupt or does not belong to this manifest.",
                    $"$.base_models[{i}].sha256");
            }
        }
    }
}
