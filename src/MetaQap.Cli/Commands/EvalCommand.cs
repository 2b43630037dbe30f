using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using MetaQap.Cli.Terminal;
using MetaQap.Imaging.Datasets;
using MetaQap.Modeling.Artifacts;
using MetaQap.Modeling.Ensembles;
using MetaQap.Modeling.Evaluation;

namespace MetaQap.Cli.Commands;

/// <summary>
/// `metaqap eval`: scores a MOS dataset with an ensemble and prints n, PLCC, SROCC, KROCC and RMSE. Scores and MOS
/// are compared on the 0–100 score scale (MOS = 100 × the dataset's [0, 1] MOS), so RMSE is in score points.
/// Output files are written only after every image is scored, each atomically, so Ctrl-C never leaves a partial one.
/// </summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var model = new Option<DirectoryInfo>("--model") { Description = "Ensemble folder (manifest.json + weights).", Required = true };
        var dataset = new Option<string>("--dataset") { Description = "Dataset folder or manifest CSV (MOS folder, KonIQ-10k, KADID-10k, BIQ2021).", Required = true };
        var json = new Option<FileInfo?>("--json") { Description = "Write the metrics as JSON (keys n, plcc, plcc_logistic, srocc, krocc, rmse, failed)." };
        var report = new Option<DirectoryInfo?>("--report") { Description = "Write a report folder (report.md, metrics.json, predictions.csv, scatter.png); replaced if present." };
        var batch = new Option<int>("--batch") { Description = "Images per forward pass.", DefaultValueFactory = _ => 8 };
        var limit = new Option<int?>("--limit") { Description = "Evaluate only the first N images of the manifest." };
        var device = new Option<string>("--device") { Description = "cpu, cuda or cuda:N.", DefaultValueFactory = _ => "cpu" };
        var threads = new Option<int>("--threads") { Description = "Torch CPU threads (0: torch's default).", DefaultValueFactory = _ => 0 };

        var command = new Command("eval", "Evaluate an ensemble on a MOS dataset: n, PLCC, SROCC, KROCC, RMSE (0-100 scale).")
        {
            model, dataset, json, report, batch, limit, device, threads,
        };

        command.SetAction(async (parse, cancellationToken) =>
        {
            int batchSize = parse.GetValue(batch);
            int? max = parse.GetValue(limit);
            if (batchSize <= 0 || max is <= 0)
            {
                return ExitCodes.Usage(parse, "--batch and --limit must be at least 1.");
            }

            TextWriter output = parse.InvocationConfiguration.Output;
            try
            {
                Dataset data = DatasetReader.Read(parse.GetValue(dataset)!, new DatasetReadOptions { Limit = max });
                using EnsemblePredictor predictor = EnsemblePredictor.Load(
                    parse.GetValue(model)!.FullName,
                    new PredictorOptions { Device = parse.GetValue(device)!, Threads = parse.GetValue(threads) });
                DatasetEvaluationResult result = await ProgressDisplay.RunAsync($"eval {data.Name}", data.Items.Count, progress =>
                    Task.Run(() => DatasetEvaluation.Run(
                        predictor, data.Items, batchSize, progress: new Progress<int>(done => progress.Report(done)), cancellationToken: cancellationToken),
                        cancellationToken));

                foreach (EvaluationFailure failure in result.Failures)
                {
                    parse.InvocationConfiguration.Error.WriteLine($"skipped {failure.ImageId}: {failure.Code}: {failure.Message}");
                }

                EvaluationMetrics m = result.Metrics;
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"model    {predictor.ModelVersion}"));
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"dataset  {data.Name} ({result.Failures.Count} of {data.Items.Count} images failed to decode)"));
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"n        {m.N}"));
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"plcc     {m.Plcc:F4}  (after 4-parameter logistic: {m.PlccLogistic:F4})"));
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"srocc    {m.Srocc:F4}"));
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"krocc    {m.Krocc:F4}"));
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"rmse     {m.Rmse:F3}  (score points, 0-100 scale)"));
                if (result.BaseModels.Count > 1)
                {
                    foreach ((string name, EvaluationMetrics b) in result.BaseModels)
                    {
                        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"base     {name}: srocc {b.Srocc:F4}, plcc {b.Plcc:F4}"));
                    }
                }

                if (parse.GetValue(json) is { } jsonFile)
                {
                    WriteAtomically(jsonFile.FullName, MetricsJson(m, result.Failures.Count));
                    output.WriteLine($"metrics: {jsonFile.FullName}");
                }

                if (parse.GetValue(report) is { } reportFolder)
                {
                    WriteReport(reportFolder.FullName, $"{predictor.ModelVersion} on {data.Name}", result);
                    output.WriteLine($"report:  {reportFolder.FullName}");
                }

                return ExitCodes.Success;
            }
            catch (OperationCanceledException)
            {
                parse.InvocationConfiguration.Error.WriteLine("cancelled; no output files were written.");
                return ExitCodes.Cancelled;
            }
            catch (Exception e) when (e is ArtifactException or IOException or DatasetFormatException or InvalidOperationException or UnauthorizedAccessException)
            {
                parse.InvocationConfiguration.Error.WriteLine($"error: {e.Message}");
                return ExitCodes.InputError;
            }
        });

        return command;
    }

    private static string MetricsJson(EvaluationMetrics m, int failed)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            EvaluationReport.WriteMetricFields(writer, m);
            writer.WriteString("rmse_scale", "0-100");
            writer.WriteNumber("failed", failed);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    // A correlation of constant predictions is undefined (NaN), which JSON cannot carry: it is written as null.
    private static void WriteAtomically(string path, string text)
    {
        string folder = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(folder);
        string temporary = Path.Combine(folder, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllText(temporary, text, new UTF8Encoding(false));
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>Writes the report into a sibling staging folder, then swaps it in place of any previous report.</summary>
    private static void WriteReport(string folder, string title, DatasetEvaluationResult result)
    {
        string parent = Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(folder))!;
        string name = Path.GetFileName(Path.TrimEndingDirectorySeparator(folder));
        Directory.CreateDirectory(parent);
        string staging = Path.Combine(parent, $".{name}.{Guid.NewGuid():N}.tmp");
        string old = Path.Combine(parent, $".{name}.{Guid.NewGuid():N}.old");
        try
        {
            EvaluationReport.Write(staging, title, result.ImageIds, result.Predicted, result.Mos, result.Metrics);
            if (Directory.Exists(folder))
            {
                Directory.Move(folder, old);
            }

            Directory.Move(staging, folder);
        }
        finally
        {
            foreach (string leftover in new[] { staging, old })
            {
                if (Directory.Exists(leftover))
                {
                    Directory.Delete(leftover, recursive: true);
                }
            }
        }
    }
}
