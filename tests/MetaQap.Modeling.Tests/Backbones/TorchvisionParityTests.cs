using MetaQap.Modeling.Backbones;
using MetaQap.Modeling.Runtime;
using MetaQap.Modeling.Weights;

namespace MetaQap.Modeling.Tests.Backbones;

/// <summary>
/// Same weights and input, torchvision vs ours, through tools/parity/export_torchvision.py. Needs Debian's
/// python3-torch and python3-torchvision at /usr/bin/python3, and skips without them (CI has no Python). Only the
/// cheap architectures run here; `metaqap parity --arch A` covers the rest.
/// </summary>
public sealed class TorchvisionParityTests : IDisposable
{
    private const string Python = "/usr/bin/python3";

    private static readonly Lazy<bool> HasTorchvision = new(() => File.Exists(Python) && ParityCheck.PythonHasTorchvision(Python));

    private readonly string _workDirectory = Path.Combine(Path.GetTempPath(), $"metaqap-parity-tests-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_workDirectory))
        {
            Directory.Delete(_workDirectory, recursive: true);
        }
    }

    [SkippableTheory]
    [InlineData("resnet18")]
    [InlineData("resnet10_w32")]
    [InlineData("mobilenet_v3_small")]
    public void Logits_match_torchvision_within_tolerance(string architecture)
    {
        Skip.IfNot(HasTorchvision.Value, $"{Python} with torch and torchvision is not available");

        var result = ParityCheck.Run(architecture, Python, _workDirectory, ExportScript(), seed: 7);

        Assert.Equal(new long[] { 2, 1000 }, result.OutputShape);
        // The exporter rescales the classifier to unit-scale logits, so the tolerance reads as a relative error.
        Assert.InRange(result.MaxAbsReference, 0.999, 1.001);
        Assert.True(result.Passed, $"{architecture}: max_abs_diff={result.MaxAbsDiff}");
    }

    [SkippableFact]
    public void A_perturbed_weight_is_detected()
    {
        Skip.IfNot(HasTorchvision.Value, $"{Python} with torch and torchvision is not available");
        ParityCheck.Run("resnet10_w32", Python, _workDirectory, ExportScript(), seed: 8);
        var weightsPath = Path.Combine(_workDirectory, "resnet10_w32", "weights.safetensors");
        var weights = SafeTensors.Load(weightsPath);
        weights["layer3.0.bn2.running_mean"].PlusInPlace(0.05);
        SafeTensors.Save(weightsPath, weights);

        var result = ParityCheck.Compare("resnet10_w32", Path.Combine(_workDirectory, "resnet10_w32"));

        Assert.False(result.Passed, $"max_abs_diff={result.MaxAbsDiff}");
    }

    private static string ExportScript() =>
        ParityCheck.FindExportScript(AppContext.BaseDirectory)
        ?? throw new FileNotFoundException($"{ParityCheck.ExportScriptRelativePath} not found above {AppContext.BaseDirectory}");
}
