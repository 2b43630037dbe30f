using System.Diagnostics;
using System.Text;
using MetaQap.Testing;

namespace MetaQap.Modeling.Tests.Runtime;

/// <summary>The build-time side of TorchSharp: the backend switch and the libstdc++ version-need patch.</summary>
public sealed class TorchBuildTests
{
    [Theory]
    // The ImageNet weights' package (a content-only package, docs/imagenet.md) is referenced whatever the backend, and
    // every project has the banned-API analyzer (Directory.Build.props, TensorScalars).
    [InlineData("cpu", new[] { "TorchSharp", "libtorch-cpu-linux-x64", "Microsoft.ML.DnnImageFeaturizer.ResNet18", "Microsoft.CodeAnalysis.BannedApiAnalyzers" })]
    [InlineData("cuda", new[] { "TorchSharp-cuda-linux", "Microsoft.ML.DnnImageFeaturizer.ResNet18", "Microsoft.CodeAnalysis.BannedApiAnalyzers" })]
    public void TorchBackend_property_selects_the_torch_packages(string backend, string[] expected)
    {
        string project = Path.Combine(RepositoryPaths.Root, "src", "MetaQap.Modeling", "MetaQap.Modeling.csproj");

        string json = Run("dotnet", $"msbuild \"{project}\" -getItem:PackageReference -p:TorchBackend={backend}");

        string[] names = json.Split('\n')
            .Where(l => l.Contains("\"Identity\"", StringComparison.Ordinal))
            .Select(l => l.Split('"')[3])
            .ToArray();
        Assert.Equal(expected.Order(), names.Order());
    }

    [Fact]
    public void Output_copy_of_LibTorchSharp_differs_from_the_package_at_most_in_one_version_flag()
    {
        string output = Path.Combine(AppContext.BaseDirectory, "libLibTorchSharp.so");
        string packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        string original = Path.Combine(packages, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Assert.True(File.Exists(output), $"{output} missing");
        Assert.True(File.Exists(original), $"{original} missing");

        byte[] patched = File.ReadAllBytes(output);
        byte[] pristine = File.ReadAllBytes(original);

        Assert.Equal(pristine.Length, patched.Length);
        int[] differences = Enumerable.Range(0, pristine.Length).Where(i => pristine[i] != patched[i]).ToArray();
        if (SystemLibstdcxxHas("GLIBCXX_3.4.32"))
        {
            Assert.Empty(differences); // nothing to fix: the copy is left as shipped
        }
        else
        {
            // Exactly the low byte of one vna_flags field gained VER_FLG_WEAK (2); the package copy is untouched.
            int index = Assert.Single(differences);
            Assert.Equal(pristine[index] | 2, patched[index]);
        }
    }

    private static bool SystemLibstdcxxHas(string version)
    {
        string[] candidates = ["/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6"];
        string? path = candidates.FirstOrDefault(File.Exists);
        if (path is null)
        {
            return false;
        }

        byte[] needle = Encoding.ASCII.GetBytes(version + "\0");
        return File.ReadAllBytes(path).AsSpan().IndexOf(needle) >= 0;
    }

    private static string Run(string file, string arguments)
    {
        var start = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        string stdout = process.StandardOutput.ReadToEnd();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{file} {arguments} exited {process.ExitCode}: {stderr}");
        return stdout;
    }
}
