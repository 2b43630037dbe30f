using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace MetaQap.Components.Registry;

/// <summary>
/// The model store's layout: <c>runs/&lt;id&gt;/</c> (a run's working folder with its checkpoints),
/// <c>artifacts/&lt;id&gt;/</c> (a finished base model: model.safetensors and training.json) and
/// <c>ensembles/&lt;id&gt;/</c> (an ensemble folder, docs/model-artifact.md). Artifacts and ensembles appear whole:
/// they are written under a temporary name and renamed.
/// </summary>
public sealed class ModelStore(IOptions<RegistryOptions> options)
{
    public const string WeightsFile = "model.safetensors";

    public string Root => Path.GetFullPath(options.Value.ModelStore);

    public string RunFolder(Guid id) => Path.Combine(Root, "runs", id.ToString("D"));

    public static string ArtifactWeights(Guid id) => $"artifacts/{id:D}/{WeightsFile}";

    public static string EnsembleFolder(Guid id) => $"ensembles/{id:D}";

    /// <summary>The absolute path of a registry path, refusing one that would leave the store.</summary>
    public string Resolve(string relative)
    {
        ArgumentException.ThrowIfNullOrEmpty(relative);
        string full = Path.GetFullPath(Path.Combine(Root, relative));
        if (!full.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Registry path '{relative}' is outside the model store.");
        }

        return full;
    }

    /// <summary>Moves a finished folder into place under <paramref name="relative"/> (replacing a leftover of an earlier attempt).</summary>
    public string Install(string sourceFolder, string relative)
    {
        string target = Resolve(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        string staging = $"{target}.{Guid.NewGuid():N}.tmp";
        CopyFolder(sourceFolder, staging);
        if (Directory.Exists(target))
        {
            Directory.Delete(target, recursive: true);
        }

        Directory.Move(staging, target);
        return target;
    }

    public static string Sha256(string file)
    {
        using FileStream stream = File.OpenRead(file);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static void CopyFolder(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (string file in Directory.EnumerateFiles(source))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }
    }
}
