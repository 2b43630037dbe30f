using System.CommandLine;
using System.Globalization;
using MetaQap.Modeling.Backbones;
using TorchSharp;

namespace MetaQap.Cli.Commands;

/// <summary>
/// <c>metaqap parity --arch A</c>: exports torchvision's A with random weights through Python, loads them into our
/// backbone and compares logits. The last line is always <c>max_abs_diff=…</c>; exit code 0 when it is within
/// <see cref="ParityCheck.Tolerance"/>, 1 otherwise (2 when the check could not run).
/// </summary>
internal static class ParityCommand
{
    public static Command Create()
    {
        var arch = new Option<string>("--arch") { Description = "torchvision architecture name", Required = true };
        arch.AcceptOnlyFromAmong([.. BackboneFactory.TorchvisionArchitectures]);
        var python = new Option<string>("--python")
        {
            Description = "Python with torch and torchvision (Debian: apt-get install python3-torchvision)",
            DefaultValueFactory = _ => "/usr/bin/python3",
        };
        var work = new Option<string>("--work")
        {
            Description = "Directory for the exported safetensors files",
            DefaultValueFactory = _ => Path.Combine(Path.GetTempPath(), "metaqap-parity"),
        };
        var seed = new Option<int>("--seed") { Description = "Seed for weights and input", DefaultValueFactory = _ => 1234 };
        var script = new Option<string?>("--script") { Description = $"Path of {ParityCheck.ExportScriptRelativePath} (found by walking up from here by default)" };
        var benchBatch = new Option<int>("--bench-batch") { Description = "Also measure eval forward images/s at this batch size in TorchSharp and PyTorch" };
        var threads = new Option<int>("--threads") { Description = "Intra-op threads for both TorchSharp and PyTorch (0: libraries' default)" };

        var command = new Command("parity", "Compare a backbone's logits with torchvision's on the same random weights and input");
        foreach (var option in new Option[] { arch, python, work, seed, script, benchBatch, threads })
        {
            command.Add(option);
        }

        command.SetAction(parseResult => Run(
            parseResult.GetRequiredValue(arch),
            parseResult.GetValue(python)!,
            parseResult.GetValue(work)!,
            parseResult.GetValue(seed),
            parseResult.GetValue(script),
            parseResult.GetValue(benchBatch),
            parseResult.GetValue(threads)));
        return command;
    }

    private static int Run(string architecture, string python, string workDirectory, int seed, string? script, int benchBatch, int threads)
    {
        var output = Console.Out;
        script ??= ParityCheck.FindExportScript(Environment.CurrentDirectory, AppContext.BaseDirectory);
        if (script is null)
        {
            Console.Error.WriteLine($"Cannot find {ParityCheck.ExportScriptRelativePath}; pass --script.");
            output.WriteLine("max_abs_diff=NaN");
            return 2;
        }

        if (threads > 0)
        {
            torch.set_num_threads(threads);
        }

        var extra = new List<string>();
        if (benchBatch > 0)
        {
            extra.AddRange(["--bench", Invariant(benchBatch), "--threads", Invariant(threads)]);
        }

        ParityResult result;
        try
        {
            result = ParityCheck.Run(architecture, python, workDirectory, script, seed, output, extra);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or System.ComponentModel.Win32Exception)
        {
            Console.Error.WriteLine(e.Message);
            output.WriteLine("max_abs_diff=NaN");
            return 2;
        }

        output.WriteLine($"output_shape=[{string.Join(",", result.OutputShape)}] max_abs_reference={Invariant(result.MaxAbsReference)}");
        if (benchBatch > 0)
        {
            // The exported weights, not a fresh random init: untrained BN statistics can drive activations into
            // denormals, which would measure the FPU's slow path rather than the network.
            using var model = ParityCheck.LoadExportedModel(architecture, Path.Combine(workDirectory, architecture));
            int size = ((IBackbone)model).DefaultInputSize;
            double rate = BackboneThroughput.Measure(model, benchBatch, size, TimeSpan.FromSeconds(10));
            output.WriteLine($"torchsharp_images_per_s={Invariant(rate)} threads={Invariant(torch.get_num_threads())}");
        }

        output.WriteLine($"max_abs_diff={Invariant(result.MaxAbsDiff)}");
        return result.Passed ? 0 : 1;
    }

    private static string Invariant(double value) => value.ToString("G6", CultureInfo.InvariantCulture);

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
