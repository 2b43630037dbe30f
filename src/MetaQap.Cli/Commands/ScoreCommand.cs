using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using MetaQap.Imaging.Decoding;
using MetaQap.Imaging.Pixels;
using MetaQap.Modeling.Artifacts;
using MetaQap.Modeling.Ensembles;
using MetaQap.Modeling.Scoring;

namespace MetaQap.Cli.Commands;

/// <summary>
/// `metaqap score`: scores image files with an ensemble folder. A file that cannot be decoded is reported with its
/// decode error code and the others are still scored; the exit code is then 3 (bad input).
/// </summary>
internal static class ScoreCommand
{
    public static Command Create()
    {
        var files = new Argument<FileInfo[]>("files") { Description = "Images to score (JPEG, PNG, WebP, BMP).", Arity = ArgumentArity.OneOrMore };
        var model = new Option<DirectoryInfo>("--model") { Description = "Ensemble folder (manifest.json + weights).", Required = true };
        var json = new Option<bool>("--json") { Description = "Print a JSON array (one object per file) instead of text lines." };
        var batch = new Option<int>("--batch") { Description = "Images per forward pass.", DefaultValueFactory = _ => 8 };
        var device = new Option<string>("--device") { Description = "cpu, cuda or cuda:N.", DefaultValueFactory = _ => "cpu" };
        var threads = new Option<int>("--threads") { Description = "Torch CPU threads (0: torch's default).", DefaultValueFactory = _ => 0 };

        var command = new Command("score", "Score images with an ensemble: 0-100 (higher is better), base scores, uncertainty, likely distortions.")
        {
            files, model, json, batch, device, threads,
        };

        command.SetAction((parse, cancellationToken) =>
        {
            int batchSize = parse.GetValue(batch);
            if (batchSize <= 0)
            {
                return Task.FromResult(ExitCodes.Usage(parse, "--batch must be at least 1."));
            }

            try
            {
                using EnsemblePredictor predictor = EnsemblePredictor.Load(
                    parse.GetValue(model)!.FullName,
                    new PredictorOptions { Device = parse.GetValue(device)!, Threads = parse.GetValue(threads) });
                FileInfo[] inputs = parse.GetValue(files)!;
                FileResult[] results = ScoreAll(predictor, inputs, batchSize, cancellationToken);
                TextWriter output = parse.InvocationConfiguration.Output;
                if (parse.GetValue(json))
                {
                    output.WriteLine(Json(results, predictor.ModelVersion));
                }
                else
                {
                    foreach (FileResult result in results)
                    {
                        output.WriteLine(Text(result));
                    }
                }

                int failed = results.Count(r => r.Error is not null);
                if (failed > 0)
                {
                    parse.InvocationConfiguration.Error.WriteLine($"{failed} of {results.Length} files could not be scored.");
                    return Task.FromResult(ExitCodes.InputError);
                }

                return Task.FromResult(ExitCodes.Success);
            }
            catch (OperationCanceledException)
            {
                parse.InvocationConfiguration.Error.WriteLine("cancelled.");
                return Task.FromResult(ExitCodes.Cancelled);
            }
            catch (Exception e) when (e is ArtifactException or InvalidOperationException)
            {
                parse.InvocationConfiguration.Error.WriteLine($"error: {e.Message}");
                return Task.FromResult(ExitCodes.InputError);
            }
        });

        return command;
    }

    private static FileResult[] ScoreAll(EnsemblePredictor predictor, FileInfo[] files, int batchSize, CancellationToken cancellationToken)
    {
        var results = new FileResult[files.Length];
        // Decoded as the worker decodes them (scaled JPEG decode down to the view side), so both give the same scores.
        var decode = new DecodeOptions { MinShorterSide = predictor.DecodeShorterSide };
        for (int start = 0; start < files.Length; start += batchSize)
        {
            int count = Math.Min(batchSize, files.Length - start);
            var images = new List<RgbImage>(count);
            var slots = new List<int>(count);
            for (int i = start; i < start + count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                try
                {
                    images.Add(ImageDecoder.DecodeFile(files[i].FullName, decode));
                    slots.Add(i);
                }
                catch (ImageDecodeException e)
                {
                    results[i] = new FileResult(files[i].ToString(), null, e.Code.ToString(), e.Message);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    results[i] = new FileResult(files[i].ToString(), null, e is FileNotFoundException or DirectoryNotFoundException ? "NotFound" : "AccessDenied", e.Message);
                }
            }

            IReadOnlyList<ImageScore> scores = predictor.Score(images, cancellationToken);
            for (int k = 0; k < slots.Count; k++)
            {
                results[slots[k]] = new FileResult(files[slots[k]].ToString(), scores[k], null, null);
            }
        }

        return results;
    }

    private static string Text(FileResult result)
    {
        if (result.Score is not { } s)
        {
            return $"{result.File}\terror={result.Error}\t{result.Message}";
        }

        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{result.File}\tscore={s.Score:F2}\tuncertainty={s.Uncertainty:F2}\tbase=");
        text.AppendJoin(',', s.BaseScores.Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key}:{kv.Value:F2}")));
        if (s.Distortions.Count > 0)
        {
            text.Append("\tdistortions=");
            text.AppendJoin(',', s.Distortions.Select(d => string.Create(CultureInfo.InvariantCulture, $"{d.Type}:{d.Probability:F3}")));
        }

        return text.ToString();
    }

    private static string Json(FileResult[] results, string modelVersion)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartArray();
            foreach (FileResult result in results)
            {
                writer.WriteStartObject();
                writer.WriteString("file", result.File);
                if (result.Score is { } s)
                {
                    writer.WriteString("model_version", modelVersion);
                    writer.WriteNumber("score", s.Score);
                    writer.WriteNumber("uncertainty", s.Uncertainty);
                    writer.WriteStartObject("base_scores");
                    foreach ((string name, double value) in s.BaseScores)
                    {
                        writer.WriteNumber(name, value);
                    }

                    writer.WriteEndObject();
                    writer.WriteStartArray("distortions");
                    foreach (DistortionHint hint in s.Distortions)
                    {
                        writer.WriteStartObject();
                        writer.WriteString("type", hint.Type);
                        writer.WriteNumber("probability", hint.Probability);
                        writer.WriteEndObject();
                    }

                    writer.WriteEndArray();
                }
                else
                {
                    writer.WriteString("error", result.Error);
                    writer.WriteString("message", result.Message);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private sealed record FileResult(string File, ImageScore? Score, string? Error, string? Message);
}
