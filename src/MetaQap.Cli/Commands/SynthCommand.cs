using System.CommandLine;
using MetaQap.Cli.Terminal;
using MetaQap.Imaging.Corpus;
using MetaQap.Imaging.Distortions;
using MetaQap.Imaging.Pristine;

namespace MetaQap.Cli.Commands;

/// <summary>`metaqap synth`: writes a sample of the quality-aware corpus to disk, with a contact sheet.</summary>
internal static class SynthCommand
{
    public static Command Create()
    {
        var pristine = new PristineOptions();
        var count = new Option<long>("--count") { Description = "Number of samples to write.", DefaultValueFactory = _ => 1000 };
        var output = new Option<DirectoryInfo>("--out") { Description = "Output folder (must not exist or be empty).", Required = true };
        var seed = new Option<int>("--seed") { Description = "Seed of contents, crops, noise and order.", DefaultValueFactory = _ => 0 };
        var size = new Option<int>("--size") { Description = "Side of the square samples in pixels.", DefaultValueFactory = _ => 224 };
        var types = new Option<string[]>("--types")
        {
            Description = "Only these distortion types (snake_case KADID-10k names, e.g. gaussian_blur jpeg darken); all 25 when absent.",
            AllowMultipleArgumentsPerToken = true,
        };

        var command = new Command("synth", "Write a quality-aware corpus sample: pristine content x 25 distortions x 5 levels, pseudo-labelled.")
        {
            count, output, seed, size, types,
        };
        pristine.AddTo(command);

        command.SetAction(async (parse, cancellationToken) =>
        {
            int s = parse.GetValue(seed);
            IPristineSource? source = pristine.Create(parse, s, out string? error, minSide: parse.GetValue(size));
            if (source is null)
            {
                return ExitCodes.Usage(parse, error!);
            }

            if (!TryParseTypes(parse.GetValue(types), out IReadOnlyList<DistortionType> chosen, out string? typeError))
            {
                return ExitCodes.Usage(parse, typeError!);
            }

            var corpus = new QualityAwareCorpus(source, new QualityAwareCorpusOptions { Size = parse.GetValue(size), Seed = s, Types = chosen });
            long n = parse.GetValue(count);
            if (n <= 0 || n > corpus.Count)
            {
                return ExitCodes.Usage(parse, $"--count must be in 1..{corpus.Count} ({source.ContentCount} contents x {corpus.SamplesPerContent}).");
            }

            string target = parse.GetValue(output)!.FullName;
            try
            {
                CorpusExportSummary summary = await ProgressDisplay.RunAsync("synth", n, progress =>
                    Task.Run(() => CorpusExporter.Export(corpus, target, n, 0, progress, cancellationToken), cancellationToken));
                byte[] sheet = ContactSheet.Render(source, 0, 96, s);
                await File.WriteAllBytesAsync(Path.Combine(target, "contact-sheet.png"), sheet, cancellationToken);
                parse.InvocationConfiguration.Output.WriteLine($"wrote {summary.Samples} samples from {summary.Contents} contents to {summary.Directory} " +
                    $"in {summary.Elapsed.TotalSeconds:F1} s ({summary.Samples / summary.Elapsed.TotalSeconds:F0} samples/s)");
                parse.InvocationConfiguration.Output.WriteLine($"contact sheet: {Path.Combine(target, "contact-sheet.png")}");
                return ExitCodes.Success;
            }
            catch (OperationCanceledException)
            {
                parse.InvocationConfiguration.Error.WriteLine("cancelled; nothing was written.");
                return ExitCodes.Cancelled;
            }
            catch (IOException ex)
            {
                parse.InvocationConfiguration.Error.WriteLine($"error: {ex.Message}");
                return ExitCodes.InputError;
            }
        });

        return command;
    }

    /// <summary>Distortion types by their snake_case names (as in recipe configs); all of them when none are given.</summary>
    internal static bool TryParseTypes(string[]? names, out IReadOnlyList<DistortionType> types, out string? error)
    {
        types = Enum.GetValues<DistortionType>();
        error = null;
        if (names is not { Length: > 0 })
        {
            return true;
        }

        var chosen = new List<DistortionType>();
        foreach (string name in names.SelectMany(n => n.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (!DistortionCatalog.TryParse(name, out DistortionType type))
            {
                error = $"--types: '{name}' is not a distortion type; known: {string.Join(", ", DistortionCatalog.All.Select(d => d.Name))}.";
                return false;
            }

            if (!chosen.Contains(type))
            {
                chosen.Add(type);
            }
        }

        types = chosen;
        return true;
    }
}
