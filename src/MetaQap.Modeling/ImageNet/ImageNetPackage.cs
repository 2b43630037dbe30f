using System.Reflection;
using MetaQap.Modeling.Artifacts;
using MetaQap.Modeling.Backbones;
using MetaQap.Modeling.Weights;
using static TorchSharp.torch;

namespace MetaQap.Modeling.ImageNet;

/// <summary>
/// The ImageNet weights of <see cref="ResNetCntk"/>: the ONNX file of the NuGet package
/// <c>Microsoft.ML.DnnImageFeaturizer.ResNet18</c> 0.23.1 (MIT), which the solution restores like any other package
/// (nothing is downloaded at run time), converted once to the project's safetensors. The file is found at, in order:
/// an explicit path, <c>METAQAP_IMAGENET_ONNX</c>, the package folder the build restored (recorded in this assembly),
/// and the NuGet global packages folder (<c>NUGET_PACKAGES</c> or ~/.nuget/packages). It must have the pinned
/// SHA-256; the conversion records it in the safetensors metadata (<see cref="SourceSha256Key"/>).
/// </summary>
public static class ImageNetPackage
{
    public const string PackageId = "Microsoft.ML.DnnImageFeaturizer.ResNet18";

    public const string PackageVersion = "0.23.1";

    /// <summary>The ONNX file inside the package.</summary>
    public const string RelativePath = "tools/DnnImageModels/ResNet18Onnx/ResNet18.onnx";

    /// <summary>SHA-256 of that file in version 0.23.1.</summary>
    public const string OnnxSha256 = "e2552f19db2dfdb01b3669537b6a0f1b44da38d18279535492ed5dfc2ef1ff8f";

    public const string EnvironmentVariable = "METAQAP_IMAGENET_ONNX";

    /// <summary>Safetensors metadata keys of a conversion.</summary>
    public const string SourceSha256Key = "source_sha256";

    public const string SourceKey = "source";

    /// <summary>File name of the conversion in <see cref="DefaultCacheDirectory"/>.</summary>
    public const string ConvertedFileName = "resnet18_cntk-imagenet.safetensors";

    /// <summary>Where <see cref="EnsureConverted"/> keeps the conversion: $XDG_CACHE_HOME/metaqap or ~/.cache/metaqap.</summary>
    public static string DefaultCacheDirectory =>
        Path.Combine(Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"), "metaqap");

    /// <summary>The package's ONNX file, checked against <see cref="OnnxSha256"/>.</summary>
    /// <exception cref="ImageNetWeightsException">Not found (the message names the package to restore) or not the pinned file.</exception>
    public static string LocateOnnx(string? explicitPath = null)
    {
        var candidates = new List<string>();
        if (!string.IsNullOrWhiteSpace(explicitPath))
        {
            candidates.Add(explicitPath);
        }
        else
        {
            if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } fromEnvironment)
            {
                candidates.Add(fromEnvironment);
            }

            if (RestoredPackageRoot() is { } restored)
            {
                candidates.Add(Path.Combine(restored, RelativePath));
            }

            string packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } p
                ? p
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            candidates.Add(Path.Combine(packages, PackageId.ToLowerInvariant(), PackageVersion, RelativePath));
        }

        string? found = candidates.FirstOrDefault(File.Exists);
        if (found is null)
        {
            throw new ImageNetWeightsException(
                $"The ImageNet weights of resnet18_cntk come from the NuGet package {PackageId} {PackageVersion}, which is not restored here: " +
                $"run 'dotnet restore MetaQap.Workers.sln' (or set {EnvironmentVariable} to its {RelativePath}). Looked in: {string.Join(", ", candidates)}.");
        }

        string sha = EnsembleArtifact.Sha256Of(found);
        if (sha != OnnxSha256)
        {
            throw new ImageNetWeightsException(
                $"{found} has sha256 {sha}, not that of {PackageId} {PackageVersion}'s {RelativePath} ({OnnxSha256}); it is another or a damaged file.");
        }

        return Path.GetFullPath(found);
    }

    /// <summary>
    /// Converts the ONNX file to a safetensors file of <see cref="ResNetCntk"/>'s state dict at <paramref name="output"/>
    /// (written to a temporary name, then renamed), with the source's SHA-256 in its metadata; returns the output's SHA-256.
    /// </summary>
    public static string Convert(string onnxPath, string output)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(onnxPath);
        ArgumentException.ThrowIfNullOrWhiteSpace(output);
        string sourceSha = EnsembleArtifact.Sha256Of(onnxPath);
        OnnxGraph graph = OnnxGraph.Read(File.ReadAllBytes(onnxPath));
        Dictionary<string, Tensor> state = CntkResNetImport.ToStateDict(graph);
        try
        {
            using (var model = ResNetCntk.resnet18_cntk())
            {
                // Refuses a key or shape mismatch before anything is written.
                model.LoadStateDictStrict(state);
            }

            string directory = Path.GetDirectoryName(Path.GetFullPath(output))!;
            Directory.CreateDirectory(directory);
            string temporary = Path.Combine(directory, $".{Path.GetFileName(output)}.{Guid.NewGuid():N}.tmp");
            try
            {
                SafeTensors.Save(temporary, state, new Dictionary<string, string>
                {
                    [SourceKey] = $"{PackageId} {PackageVersion} {RelativePath}",
                    [SourceSha256Key] = sourceSha,
                    ["architecture"] = "resnet18_cntk",
                    ["input"] = "RGB, 0-255 pixels minus the per-channel mean of the package's mean image",
                });
                File.Move(temporary, output, overwrite: true);
            }
            finally
            {
                File.Delete(temporary);
            }

            return EnsembleArtifact.Sha256Of(output);
        }
        finally
        {
            foreach (Tensor t in state.Values)
            {
                t.Dispose();
            }
        }
    }

    /// <summary>
    /// The converted weights in <paramref name="cacheDirectory"/> (default <see cref="DefaultCacheDirectory"/>),
    /// converting the package's file first when they are missing or came from another source file.
    /// </summary>
    public static string EnsureConverted(string? cacheDirectory = null, string? onnxPath = null)
    {
        string output = Path.Combine(cacheDirectory ?? DefaultCacheDirectory, ConvertedFileName);
        if (File.Exists(output) && SafeTensors.ReadMetadata(output).GetValueOrDefault(SourceSha256Key) == OnnxSha256)
        {
            return output;
        }

        Convert(LocateOnnx(onnxPath), output);
        return output;
    }

    /// <summary>The provenance line of a conversion: package, file and both sha256s.</summary>
    public static string Provenance(string convertedWeights) =>
        $"ImageNet weights: {PackageId} {PackageVersion} {RelativePath} (MIT; sha256 {SafeTensors.ReadMetadata(convertedWeights).GetValueOrDefault(SourceSha256Key)}), " +
        $"converted to resnet18_cntk safetensors sha256 {EnsembleArtifact.Sha256Of(convertedWeights)}";

    private static string? RestoredPackageRoot() =>
        typeof(ImageNetPackage).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "ImageNetPackageRoot")?.Value is { Length: > 0 } root ? root : null;
}

/// <summary>The ImageNet weights cannot be found, or are not the pinned file.</summary>
public sealed class ImageNetWeightsException(string message) : Exception(message);
