using System.CommandLine;
using System.Globalization;
using MetaQap.Cli.Terminal;
using MetaQap.Imaging.Datasets;
using MetaQap.Modeling.Artifacts;
using MetaQap.Modeling.Calibration;
using MetaQap.Modeling.Evaluation;
using MetaQap.Modeling.ImageNet;
using MetaQap.Modeling.Recipes;

namespace MetaQap.Cli.Commands;

/// <summary>
/// `metaqap calibrate curve`: how well a calibration of an ensemble ranks unseen images for N rated images — N random
/// images of a MOS dataset fit, all the others score, several seeded draws per N. Every image is measured once and kept
/// in <c>--cache</c>, so a second run only refits. The table is what docs/calibration.md reports.
/// </summary>
internal static class CalibrateCurveCommand
{
    public static Command Create()
    {
        var model = new Option<DirectoryInfo>("--model") { Description = "Ensemble folder to calibrate.", Required = true };
        var dataset = new Option<string>("--dataset") { Description = "A MOS dataset larger than the largest size (the rest of it is the test set).", Required = true };
        var sizes = new Option<string>("--sizes") { Description = "Comma-separated numbers of rated images.", DefaultValueFactory = _ => "100,200,500" };
        var draws = new Option<int>("--draws") { Description = "Random draws per size.", DefaultValueFactory = _ => 5 };
        var seed = new Option<int>("--seed") { Description = "Seed of the first draw (draw d uses seed + d).", DefaultValueFactory = _ => 1 };
        var cache = new Option<FileInfo>("--cache") { Description = "File that keeps the measured images (features and base scores) between runs.", Required = true };
        var viewSide = new Option<int>("--view-side") { Description = "Side of the ImageNet trunk's view (multiple of 32).", DefaultValueFactory = _ => new CalibrationOptions().ViewSide };
        var threads = new Option<int>("--threads") { Description = "Torch CPU threads (0: torch's default).", DefaultValueFactory = _ => 0 };
        var command = new Command("curve", "Measure calibration accuracy against the number of rated images (random draws, scored on the rest).")
        {
            model, dataset, sizes, draws, seed, cache, viewSide, threads,
        };

        command.SetAction(async (parse, cancellationToken) =>
        {
            int[]? counts = ParseSizes(parse.GetValue(sizes)!);
            if (counts is null || parse.GetValue(draws) < 1)
            {
                return ExitCodes.Usage(parse, "--sizes must be comma-separated positive numbers and --draws at least 1.");
            }

            var options = new CalibrationOptions { ViewSide = parse.GetValue(viewSide), Threads = parse.GetValue(threads) };
            TextWriter console = parse.InvocationConfiguration.Output;
            try
            {
                options.Validate();
                Dataset data = DatasetReader.Read(parse.GetValue(dataset)!);
                string source = parse.GetValue(model)!.FullName;
                string cacheFile = parse.GetValue(cache)!.FullName;
                string trunk = ImageNetPackage.EnsureConverted();
                string key = string.Create(CultureInfo.InvariantCulture,
                    $"{EnsembleArtifact.Sha256Of(Path.Combine(source, EnsembleArtifact.ManifestFileName))} {data.Root} {data.Items.Count} {options.Architecture}@{options.ViewSide} {EnsembleArtifact.Sha256Of(trunk)[..16]}");
                var clock = System.Diagnostics.Stopwatch.StartNew();
                CalibrationRows? rows = CalibrationRowsFile.TryLoad(cacheFile, key);
                if (rows is null)
                {
                    rows = await ProgressDisplay.RunAsync($"measure {data.Name}", data.Items.Count, progress => Task.Run(() =>
                        EnsembleCalibrator.Measure(source, data.Items, options, trunk, new Progress<int>(done => progress.Report(done)), cancellationToken).Rows,
                        cancellationToken));
                    CalibrationRowsFile.Save(cacheFile, rows, key);
                    console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"measured {rows.Count} images in {clock.Elapsed.TotalSeconds:F0} s ({rows.Count / clock.Elapsed.TotalSeconds:F1} images/s), kept in {cacheFile}"));
                }
                else
                {
                    console.WriteLine($"measured images read from {cacheFile}");
                }

                IReadOnlyList<CalibrationCurvePoint> points = await Task.Run(() =>
                    CalibrationCurve.Run(rows, counts, parse.GetValue(draws), parse.GetValue(seed), options, cancellationToken), cancellationToken);
                console.WriteLine($"calibration of {Path.GetFileName(source)} on {data.Name}: fit on N random images, scored on the other {data.Items.Count} - N; {parse.GetValue(draws)} draws");
                console.WriteLine("| N | SROCC | PLCC | fit seconds |");
                console.WriteLine("|---|---|---|---|");
                foreach (CalibrationCurvePoint p in points)
                {
                    console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"| {p.Items} | {MeanStd.Of(p.Srocc).Format()} | {MeanStd.Of(p.Plcc).Format()} | {p.FitSeconds.Average():F1} |"));
                }

                // The uncalibrated baseline: each base score alone, as the calibration measured it, over every image.
                string where = rows.BaseScoresAtView ? $"at the calibration's {options.ViewSide}-px view" : "as the source scores";
                for (int k = 0; k < rows.BaseModels.Count; k++)
                {
                    EvaluationMetrics alone = EvaluationMetrics.Compute([.. rows.BaseScores.Select(s => s[k])], rows.Mos);
                    console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"base {rows.BaseModels[k]} alone ({where}), all {rows.Count} images: SROCC {alone.Srocc:F4}, PLCC {alone.Plcc:F4}"));
                }

                return ExitCodes.Success;
            }
            catch (OperationCanceledException)
            {
                parse.InvocationConfiguration.Error.WriteLine("cancelled.");
                return ExitCodes.Cancelled;
            }
            catch (Exception e) when (e is CalibrationException or ArtifactException or IOException or DatasetFormatException or ImageNetWeightsException
                or ArgumentException or UnauthorizedAccessException or InvalidOperationException)
            {
                parse.InvocationConfiguration.Error.WriteLine($"error: {e.Message}");
                return ExitCodes.InputError;
            }
        });

        return command;
    }

    private static int[]? ParseSizes(string text)
    {
        var sizes = new List<int>();
        foreach (string part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n <= 0)
            {
                return null;
            }

            sizes.Add(n);
        }

        return sizes.Count > 0 ? [.. sizes] : null;
    }
}
