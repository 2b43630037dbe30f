using System.Diagnostics;
using System.Globalization;
using MetaQap.Modeling.Weights;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MetaQap.Modeling.Backbones;

/// <summary>Outcome of one parity comparison between our backbone and torchvision on the same weights and input.</summary>
public sealed record ParityResult(string Architecture, double MaxAbsDiff, double MaxAbsReference, IReadOnlyList<long> OutputShape)
{
    public bool Passed => MaxAbsDiff <= ParityCheck.Tolerance;
}

/// <summary>
/// Checks that a backbone reproduces torchvision: tools/parity/export_torchvision.py writes weights, an input
/// batch and torchvision's logits as safetensors; we load the weights strictly, run eval + no_grad and compare.
/// </summary>
public static class ParityCheck
{
    /// <summary>Largest accepted absolute logit difference in float32.</summary>
    public const double Tolerance = 1e-4;

    public const string ExportScriptRelativePath = "tools/parity/export_torchvision.py";

    /// <summary>
    /// Exports with Python, then compares. The export lands in <paramref name="workDirectory"/>/ARCH;
    /// <paramref name="extraExportArguments"/> go to the script as they are (e.g. "--bench", "8").
    /// </summary>
    public static ParityResult Run(
        string architecture,
        string python,
        string workDirectory,
        string exportScript,
        int seed = 1234,
        TextWriter? log = null,
        IEnumerable<string>? extraExportArguments = null)
    {
        var exportDirectory = Path.Combine(workDirectory, architecture);
        string[] arguments = [exportScript, architecture, exportDirectory, "--seed", seed.ToString(CultureInfo.InvariantCulture)];
        RunPython(python, arguments.Concat(extraExportArguments ?? []), log);
        return Compare(architecture, exportDirectory);
    }

    /// <summary>Compares against an existing export directory (weights/input/output.safetensors).</summary>
    public static ParityResult Compare(string architecture, string exportDirectory)
    {
        using var scope = NewDisposeScope();
        using var model = LoadExportedModel(architecture, exportDirectory);
        var input = SafeTensors.Load(Path.Combine(exportDirectory, "input.safetensors"))["input"];
        var expected = SafeTensors.Load(Path.Combine(exportDirectory, "output.safetensors"))["output"];
        using var noGrad = no_grad();
        var actual = model.forward(input);
        if (!actual.shape.SequenceEqual(expected.shape))
        {
            throw new InvalidOperationException(
                $"{architecture}: output shape [{string.Join(",", actual.shape)}] differs from torchvision's [{string.Join(",", expected.shape)}].");
        }

        double diff = (actual - expected).abs().max().item<float>();
        double reference = expected.abs().max().item<float>();
        return new ParityResult(architecture, diff, reference, actual.shape);
    }

    /// <summary>Our backbone with the exported weights.safetensors loaded strictly, in eval mode.</summary>
    public static Module<Tensor, Tensor> LoadExportedModel(string architecture, string exportDirectory)
    {
        var model = BackboneFactory.Create(architecture);
        try
        {
            model.LoadSafeTensorsStrict(Path.Combine(exportDirectory, "weights.safetensors"));
        }
        catch
        {
            model.Dispose();
            throw;
        }

        model.eval();
        return model;
    }

    /// <summary>Walks up from each start directory looking for the export script of this repository.</summary>
    public static string? FindExportScript(params string[] startDirectories)
    {
        foreach (var start in startDirectories)
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, ExportScriptRelativePath);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    /// <summary>True when <paramref name="python"/> runs and can import torch and torchvision.</summary>
    public static bool PythonHasTorchvision(string python)
    {
        try
        {
            RunPython(python, ["-c", "import torch, torchvision"], log: null);
            return true;
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    /// <summary>Runs Python to completion, forwarding stdout to <paramref name="log"/>; throws with stderr on failure.</summary>
    public static void RunPython(string python, IEnumerable<string> arguments, TextWriter? log)
    {
        var start = new ProcessStartInfo(python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {python}.");
        var stderr = process.StandardError.ReadToEndAsync();
        string? line;
        while ((line = process.StandardOutput.ReadLine()) is not null)
        {
            log?.WriteLine(line);
        }

        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{python} {string.Join(' ', start.ArgumentList)} exited with {process.ExitCode}: {stderr.Result.Trim()}");
        }
    }
}
