using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using MetaQap.Modeling.Artifacts;
using MetaQap.Modeling.Backbones;
using MetaQap.Modeling.Quality;
using MetaQap.Modeling.Runtime;
using MetaQap.Modeling.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace MetaQap.Cli.Commands;

/// <summary>
/// <c>metaqap bench forward</c>: TorchSharp vs PyTorch forward images/s on the same network, weights, input, batch
/// and thread count (issue 7, item 2). For each network tools/bench/torch_forward.py builds it in PyTorch and writes
/// an input batch and its output; TorchSharp loads the same weights, checks it computes the same output (max abs
/// diff), then repeats are interleaved TorchSharp, PyTorch, TorchSharp, … with the same protocol on both sides
/// (inference mode, warm-up passes, one fixed batch for a fixed time) and medians are compared.
/// </summary>
internal static class BenchForwardCommand
{
    private const int WarmupPasses = 3;

    public static Command Create()
    {
        var model = new Option<DirectoryInfo?>("--model") { Description = "Ensemble folder whose base models are compared (their trained weights, their input sizes).", DefaultValueFactory = _ => new DirectoryInfo("models/default") };
        var arch = new Option<string[]>("--arch") { Description = "Also compare these backbones at 224 px with seeded random (torchvision-initialised) weights.", DefaultValueFactory = _ => ["resnet50"], AllowMultipleArgumentsPerToken = true };
        var sizes = new Option<int[]>("--sizes") { Description = "Input sides at which the ensemble's base models are compared (default: each one's own input size).", AllowMultipleArgumentsPerToken = true };
        var batch = new Option<int>("--batch") { Description = "Images per forward pass.", DefaultValueFactory = _ => 8 };
        var threads = new Option<int>("--threads") { Description = "Intra-op threads on both sides.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var seconds = new Option<double>("--seconds") { Description = "Seconds per repeat.", DefaultValueFactory = _ => 3 };
        var repeats = new Option<int>("--repeats") { Description = "Repeats per side; medians are reported.", DefaultValueFactory = _ => 5 };
        var only = new Option<string?>("--only") { Description = "Run only the networks whose label contains this text." };
        var python = new Option<string>("--python") { Description = "Python with torch and torchvision.", DefaultValueFactory = _ => "/usr/bin/python3" };
        var command = new Command("forward", "TorchSharp vs PyTorch forward images/s on identical networks, weights, batch and threads.")
        {
            model, sizes, arch, batch, threads, seconds, repeats, python, only,
        };

        command.SetAction((parse, cancellationToken) => Task.Run(() =>
        {
            TextWriter output = parse.InvocationConfiguration.Output;
            string? script = ParityCheck.FindExportScript(Environment.CurrentDirectory, AppContext.BaseDirectory) is { } export
                ? Path.GetFullPath(Path.Combine(Path.GetDirectoryName(export)!, "..", "..", PyTorchPeer.ScriptRelativePath))
                : null;
            if (script is null || !File.Exists(script))
            {
                parse.InvocationConfiguration.Error.WriteLine($"error: cannot find {PyTorchPeer.ScriptRelativePath}; run from the repository.");
                return ExitCodes.InputError;
            }

            var cases = new List<ForwardCase>();
            foreach (string a in parse.GetValue(arch) ?? [])
            {
                cases.Add(new ForwardCase(a, a, 224, null));
            }

            if (parse.GetValue(model) is { } folder)
            {
                EnsembleManifest manifest = EnsembleArtifact.Load(folder.FullName);
                int[] sides = parse.GetValue(sizes) ?? [];
                foreach (BaseModelEntry entry in manifest.BaseModels)
                {
                    foreach (int side in sides.Length > 0 ? sides : [entry.InputSize])
                    {
                        cases.Add(new ForwardCase($"{manifest.Version}/{entry.Name} ({entry.Architecture})", entry.Architecture, side,
                            Path.Combine(folder.FullName, entry.WeightsFile)));
                    }
                }
            }

            if (parse.GetValue(only) is { } filter)
            {
                cases.RemoveAll(c => !c.Label.Contains(filter, StringComparison.Ordinal));
            }

            int n = parse.GetValue(batch), t = parse.GetValue(threads), r = parse.GetValue(repeats);
            double perRepeat = parse.GetValue(seconds);
            torch.set_num_threads(t);
            // As every scoring and training path does (EnsemblePredictor.Load): the allocator settings the service runs with.
            NativeHeap.RetainFreedMemory();
            string work = Directory.CreateTempSubdirectory("metaqap-bench-forward-").FullName;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"forward bench: batch {n}, {t} threads both sides, {r} interleaved repeats of {perRepeat} s per side, inference mode, {Environment.ProcessorCount} cores, {BenchClock.Load()}"));
            output.WriteLine("| network | input | TorchSharp images/s | TorchSharp as the worker runs it | PyTorch images/s | ratio | ratio as the worker runs it | max abs diff / as run (max abs output) |");
            output.WriteLine("|---|---|---|---|---|---|---|---|");
            try
            {
                foreach (ForwardCase c in cases)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    output.WriteLine(Compare(c, parse.GetValue(python)!, script, Path.Combine(work, cases.IndexOf(c).ToString(CultureInfo.InvariantCulture)), n, t, r, perRepeat, parse.InvocationConfiguration.Error));
                }
            }
            finally
            {
                Directory.Delete(work, recursive: true);
            }

            return ExitCodes.Success;
        }, cancellationToken));

        return command;
    }

    private static string Compare(ForwardCase c, string python, string script, string work, int batch, int threads, int repeats, double seconds, TextWriter log)
    {
        var arguments = new List<string>
        {
            "--arch", c.Architecture, "--size", c.Size.ToString(CultureInfo.InvariantCulture), "--batch", batch.ToString(CultureInfo.InvariantCulture),
            "--threads", threads.ToString(CultureInfo.InvariantCulture), "--workdir", work,
        };
        if (c.QualityModelWeights is not null)
        {
            arguments.AddRange(["--weights", c.QualityModelWeights]);
        }

        using PyTorchPeer peer = PyTorchPeer.Start(python, script, arguments);
        using var scope = NewDisposeScope();
        // The same network twice: as loaded (the graph PyTorch runs) and with its BatchNorms folded into the convs,
        // as EnsemblePredictor runs it in the worker.
        Func<Tensor, Tensor> eager = LoadTorchSharp(c, work, fold: false);
        Func<Tensor, Tensor> folded = LoadTorchSharp(c, work, fold: true);
        Tensor input = SafeTensors.Load(Path.Combine(work, "input.safetensors"))["input"];
        Tensor expected = SafeTensors.Load(Path.Combine(work, "output.safetensors"))["output"];
        double diff, diffFolded, reference = expected.abs().max().item<float>();
        using (torch.inference_mode())
        {
            diff = (eager(input) - expected).abs().max().item<float>();
            diffFolded = (folded(input) - expected).abs().max().item<float>();
        }

        var sharp = new List<double>();
        var sharpFolded = new List<double>();
        var pytorch = new List<double>();
        for (int i = 0; i < repeats; i++)
        {
            sharp.Add(Time(eager, input, seconds));
            sharpFolded.Add(Time(folded, input, seconds));
            pytorch.Add(peer.Time(seconds));
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {c.Label} repeat {i + 1}: TorchSharp {sharp[^1]:F1}, folded {sharpFolded[^1]:F1}, PyTorch {pytorch[^1]:F1} images/s, {BenchClock.Load()}"));
        }

        double a = BenchClock.Median(sharp), f = BenchClock.Median(sharpFolded), b = BenchClock.Median(pytorch);
        return string.Create(CultureInfo.InvariantCulture,
            $"| {c.Label} | {c.Size} | {a:F1} | {f:F1} | {b:F1} | {a / b:F2} | {f / b:F2} | {diff:G2} / {diffFolded:G2} ({reference:G3}) |");
    }

    /// <summary>
    /// The TorchSharp network of <paramref name="c"/> in eval mode, its weights those the Python side used; with
    /// <paramref name="fold"/>, its BatchNorms folded into the convolutions and its convolution weights channels-last
    /// (what the worker runs).
    /// </summary>
    private static Func<Tensor, Tensor> LoadTorchSharp(ForwardCase c, string work, bool fold)
    {
        if (c.QualityModelWeights is null)
        {
            var backbone = ParityCheck.LoadExportedModel(c.Architecture, work);
            if (fold)
            {
                InferencePreparation.Apply(backbone);
            }

            return backbone.forward;
        }

        var model = new QualityModel(c.Architecture);
        model.LoadSafeTensorsStrict(c.QualityModelWeights);
        model.eval();
        if (fold)
        {
            model.PrepareForInference();
        }

        return x => Outputs(model, x);
    }

    /// <summary>A base model's forward as one tensor, the quality score then the distortion logits per image (what torch_forward.py writes).</summary>
    internal static Tensor Outputs(QualityModel model, Tensor images)
    {
        QualityOutput o = model.forward(images);
        return cat([o.Quality.unsqueeze(1), o.DistortionLogits], 1);
    }

    /// <summary>The same protocol as torch_forward.py's time_repeat.</summary>
    internal static double Time(Func<Tensor, Tensor> forward, Tensor input, double seconds)
    {
        using var mode = torch.inference_mode();
        for (int i = 0; i < WarmupPasses; i++)
        {
            using var scope = NewDisposeScope();
            forward(input);
        }

        long images = 0;
        var clock = Stopwatch.StartNew();
        while (true)
        {
            using (NewDisposeScope())
            {
                forward(input);
            }

            images += input.shape[0];
            if (clock.Elapsed.TotalSeconds >= seconds)
            {
                return images / clock.Elapsed.TotalSeconds;
            }
        }
    }

    private sealed record ForwardCase(string Label, string Architecture, int Size, string? QualityModelWeights);
}
