using System.CommandLine;
using System.Globalization;
using MetaQap.Cli.Terminal;
using MetaQap.Imaging.Datasets;
using MetaQap.Modeling.Artifacts;
using MetaQap.Modeling.Calibration;
using MetaQap.Modeling.ImageNet;

namespace MetaQap.Cli.Commands;

/// <summary>
/// `metaqap calibrate`: a user's rated images (any MOS dataset format) turn an ensemble into their own — the source's
/// base models plus a ridge head on the frozen ImageNet trunk, fitted to their ratings (docs/calibration.md). The new
/// folder is written only when everything succeeded; `calibrate curve` measures how many ratings are worth it.
/// </summary>
internal static class CalibrateCommand
{
    public static Command Create()
    {
        var model = new Option<DirectoryInfo>("--model") { Description = "Ensemble folder to calibrate (e.g. models/default).", Required = true };
        var dataset = new Option<string>("--dataset") { Description = "The rated images: a MOS folder (mos.csv with image,mos on [0, 1] + images/) or another dataset format `eval` reads.", Required = true };
        var output = new Option<DirectoryInfo>("--out") { Description = "Calibrated ensemble folder to create (must not exist or be empty).", Required = true };
        var version = new Option<string?>("--version") { Description = "Version every score of the new ensemble reports (default: <source version>-cal-<UTC date and time>)." };
        var viewSide = new Option<int>("--view-side") { Description = "Side of the ImageNet trunk's view (multiple of 32).", DefaultValueFactory = _ => new CalibrationOptions().ViewSide };
        var limit = new Option<int?>("--limit") { Description = "Use only the first N rated images." };
        var seed = new Option<int>("--seed") { Description = "Seed of the cross-validation that estimates the calibration's accuracy.", DefaultValueFactory = _ => 0 };
        var threads = new Option<int>("--threads") { Description = "Torch CPU threads (0: torch's default).", DefaultValueFactory = _ => 0 };

        var command = new Command("calibrate", "Fit an ensemble to your own rated images (about 200 are enough) and write a new ensemble folder.")
        {
            model, dataset, output, version, viewSide, limit, seed, threads,
        };
        command.Subcommands.Add(CalibrateCurveCommand.Create());

        command.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(limit) is <= 0)
            {
                return ExitCodes.Usage(parse, "--limit must be at least 1.");
            }

            var options = new CalibrationOptions { ViewSide = parse.GetValue(viewSide), Seed = parse.GetValue(seed), Threads = parse.GetValue(threads) };
            try
            {
                options.Validate();
            }
            catch (ArgumentException e)
            {
                return ExitCodes.Usage(parse, e.Message);
            }

            TextWriter console = parse.InvocationConfiguration.Output;
            TextWriter error = parse.InvocationConfiguration.Error;
            try
            {
                Dataset data = DatasetReader.Read(parse.GetValue(dataset)!, new DatasetReadOptions { Limit = parse.GetValue(limit) });
                string source = parse.GetValue(model)!.FullName;
                var invocation = RecipeCliOptions.Invocation(parse);
                var request = new CalibrationRequest
                {
                    SourceEnsemble = source,
                    Items = data.Items,
                    OutputDirectory = parse.GetValue(output)!.FullName,
                    Version = parse.GetValue(version),
                    Command = invocation.Command,
                    GitCommit = invocation.GitCommit,
                    DataDescription = string.Create(CultureInfo.InvariantCulture,
                        $"calibration ratings: {data.Name} at {data.Root} ({data.Items.Count} items, {data.Format} format; the user's own, not redistributed)"),
                    Options = options,
                };
                CalibrationResult result = await ProgressDisplay.RunAsync($"calibrate on {data.Name}", data.Items.Count, progress =>
                    Task.Run(() => EnsembleCalibrator.Run(request, new Progress<int>(done => progress.Report(done)), cancellationToken), cancellationToken));
                console.WriteLine($"calibrated: {result.Fit.Describe()}");
                console.WriteLine($"ensemble {result.Manifest.Version} written to {result.Directory} in {result.Seconds.ToString("F0", CultureInfo.InvariantCulture)} s");
                console.WriteLine("its scores are on your ratings' scale: 100 x your [0, 1] MOS");
                return ExitCodes.Success;
            }
            catch (OperationCanceledException)
            {
                error.WriteLine("cancelled; nothing was written.");
                return ExitCodes.Cancelled;
            }
            catch (CalibrationException e)
            {
                error.WriteLine($"error: {e.Code}: {e.Message}");
                return ExitCodes.InputError;
            }
            catch (Exception e) when (e is ArtifactException or IOException or DatasetFormatException or ImageNetWeightsException
                or UnauthorizedAccessException or InvalidOperationException)
            {
                error.WriteLine($"error: {e.Message}");
                return ExitCodes.InputError;
            }
        });

        return command;
    }
}
