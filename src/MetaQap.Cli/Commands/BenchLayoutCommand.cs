using System.CommandLine;
using System.Globalization;
using MetaQap.Modeling.Backbones;
using MetaQap.Modeling.Quality;
using MetaQap.Modeling.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace MetaQap.Cli.Commands;

/// <summary>
/// <c>metaqap bench layout</c>: what storing the convolution weights channels-last adds to inference, the same
/// seeded network twice in one process, both with BatchNorms folded, one in libtorch's default layout and one as
/// <see cref="QualityModel.PrepareForInference"/> leaves it (folded and channels-last, what the worker runs);
/// repeats interleaved with <see cref="BenchForwardCommand"/>'s protocol, medians compared.
/// </summary>
internal static class BenchLayoutCommand
{
    public static Command Create()
    {
        var arch = new Option<string[]>("--arch") { Description = "Backbones to compare (seeded random weights).", DefaultValueFactory = _ => ["resnet18_cntk"], AllowMultipleArgumentsPerToken = true };
        var sizes = new Option<int[]>("--sizes") { Description = "Square input sides.", DefaultValueFactory = _ => [384, 512], AllowMultipleArgumentsPerToken = true };
        var batch = new Option<int>("--batch") { Description = "Images per forward pass.", DefaultValueFactory = _ => 2 };
        var threads = new Option<int>("--threads") { Description = "Intra-op threads.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var seconds = new Option<double>("--seconds") { Description = "Seconds per repeat.", DefaultValueFactory = _ => 4 };
        var repeats = new Option<int>("--repeats") { Description = "Repeats per layout; medians are reported.", DefaultValueFactory = _ => 5 };
        var command = new Command("layout", "Folded networks in the default layout vs with channels-last convolution weights (what the worker runs).")
        {
            arch, sizes, batch, threads, seconds, repeats,
        };

        command.SetAction((parse, cancellationToken) => Task.Run(() =>
        {
            TextWriter output = parse.InvocationConfiguration.Output;
            string[] architectures = parse.GetValue(arch) ?? [];
            if (architectures.FirstOrDefault(a => !BackboneFactory.Architectures.Contains(a)) is { } unknown)
            {
                parse.InvocationConfiguration.Error.WriteLine($"error: unknown architecture '{unknown}'; known: {string.Join(", ", BackboneFactory.Architectures)}.");
                return ExitCodes.InputError;
            }

            int n = parse.GetValue(batch), t = parse.GetValue(threads), r = parse.GetValue(repeats);
            double perRepeat = parse.GetValue(seconds);
            torch.set_num_threads(t);
            NativeHeap.RetainFreedMemory();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"layout bench: batch {n}, {t} threads, {r} interleaved repeats of {perRepeat} s per layout, inference mode, {Environment.ProcessorCount} cores, {BenchClock.Load()}"));
            output.WriteLine("| network | input | folded images/s | folded + channels-last images/s | ratio | max abs diff (max abs output) |");
            output.WriteLine("|---|---|---|---|---|---|");
            foreach (string a in architectures)
            {
                foreach (int side in parse.GetValue(sizes) ?? [])
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    output.WriteLine(Compare(a, side, n, r, perRepeat, parse.InvocationConfiguration.Error));
                }
            }

            return ExitCodes.Success;
        }, cancellationToken));

        return command;
    }

    private static string Compare(string architecture, int side, int batch, int repeats, double seconds, TextWriter log)
    {
        torch.manual_seed(1);
        using var folded = new QualityModel(architecture);
        using var prepared = new QualityModel(architecture);
        prepared.load_state_dict(folded.state_dict());
        folded.eval();
        prepared.eval();
        BatchNormFolding.FoldAll(folded);
        prepared.PrepareForInference();
        using var scope = NewDisposeScope();
        Tensor input = randn(batch, 3, side, side);
        double diff, reference;
        using (torch.inference_mode())
        {
            Tensor expected = BenchForwardCommand.Outputs(folded, input);
            diff = (BenchForwardCommand.Outputs(prepared, input) - expected).abs().max().item<float>();
            reference = expected.abs().max().item<float>();
        }

        var plain = new List<double>();
        var channelsLast = new List<double>();
        for (int i = 0; i < repeats; i++)
        {
            plain.Add(BenchForwardCommand.Time(x => BenchForwardCommand.Outputs(folded, x), input, seconds));
            channelsLast.Add(BenchForwardCommand.Time(x => BenchForwardCommand.Outputs(prepared, x), input, seconds));
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {architecture} {side} repeat {i + 1}: folded {plain[^1]:F1}, channels-last {channelsLast[^1]:F1} images/s, {BenchClock.Load()}"));
        }

        double p = BenchClock.Median(plain), c = BenchClock.Median(channelsLast);
        return string.Create(CultureInfo.InvariantCulture, $"| {architecture} | {side} | {p:F1} | {c:F1} | {c / p:F2} | {diff:G2} ({reference:G3}) |");
    }
}
