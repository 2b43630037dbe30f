using System.CommandLine;
using System.Globalization;
using MassTransit;
using MetaQap.Cli.Messaging;
using MetaQap.Components.Messaging;
using MetaQap.Contracts;

namespace MetaQap.Cli.Commands;

/// <summary>
/// <c>metaqap submit --images &lt;folder|list file&gt; [--wait]</c>: publishes a <see cref="ScoreImages"/> job to
/// RabbitMQ and, with --wait, prints every result as its event arrives and then the job's summary.
/// </summary>
internal static class SubmitCommand
{
    private static readonly string[] ImageExtensions = [".jpg", ".jpeg", ".png", ".webp", ".bmp"];

    // Under the worker's default MaxImagesPerMessage (1000), so a default worker takes every message.
    private const int ImagesPerMessage = 500;
    private const int MaxImageIdLength = 200;

    public static Command Create()
    {
        var images = new Option<string>("--images")
        {
            Description = "A folder (its JPEG/PNG/WebP/BMP files, recursively) or a text file with one path or http(s) URL per line.",
            Required = true,
        };
        var wait = new Option<bool>("--wait") { Description = "Wait for the job: print each result and the summary." };
        var inline = new Option<bool>("--inline")
        {
            Description = "Send the files' bytes (base64) instead of their paths, for a worker that cannot read this machine's files.",
        };
        var jobId = new Option<Guid?>("--job-id") { Description = "The job id (default: a new one)." };
        var modelVersion = new Option<string?>("--model-version") { Description = "Require this model version." };
        var timeout = new Option<int>("--timeout")
        {
            Description = "Seconds to wait with --wait.",
            DefaultValueFactory = _ => 600,
        };
        // Only --rabbitmq from the shared options: submit's own --wait follows a scoring job (Submission), not a run.
        BrokerCliOptions broker = BrokerCliOptions.PublishOnly();
        var command = new Command("submit", "Publish a scoring job to the workers' queue.")
        {
            images, wait, inline, jobId, modelVersion, timeout,
        };
        broker.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            TextWriter output = parse.InvocationConfiguration.Output;
            TextWriter error = parse.InvocationConfiguration.Error;
            if (await broker.BrokerAsync(parse) is not { } brokerUri)
            {
                return ExitCodes.UsageError;
            }

            List<ImageReference> references;
            try
            {
                references = ListImages(parse.GetValue(images)!, parse.GetValue(inline));
            }
            catch (IOException e)
            {
                await error.WriteLineAsync(e.Message);
                return ExitCodes.InputError;
            }

            if (references.Count == 0)
            {
                await error.WriteLineAsync($"No images found in '{parse.GetValue(images)}'.");
                return ExitCodes.InputError;
            }

            var job = new Submission(parse.GetValue(jobId) ?? Guid.NewGuid(), references, parse.GetValue(modelVersion));
            return await job.RunAsync(new RabbitMqOptions { Uri = brokerUri }, parse.GetValue(wait),
                TimeSpan.FromSeconds(parse.GetValue(timeout)), output, error, cancellationToken);
        });
        return command;
    }

    /// <summary>The images of a folder or list file, with ids (relative path, or the list entry itself).</summary>
    private static List<ImageReference> ListImages(string input, bool inline)
    {
        if (Directory.Exists(input))
        {
            return Directory.EnumerateFiles(input, "*", SearchOption.AllDirectories)
                .Where(f => ImageExtensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
                .Order(StringComparer.Ordinal)
                .Select(f => Reference(Path.GetRelativePath(input, f).Replace('\\', '/'), Path.GetFullPath(f), inline))
                .ToList();
        }

        if (!File.Exists(input))
        {
            throw new FileNotFoundException($"'{input}' is neither a folder nor a list file.");
        }

        string folder = Path.GetDirectoryName(Path.GetFullPath(input))!;
        return File.ReadLines(input)
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select((entry, n) =>
            {
                string id = entry.Length <= MaxImageIdLength ? entry : $"line-{n + 1}";
                bool isUrl = entry.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || entry.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
                return isUrl ? new ImageReference { Id = id, Uri = entry } : Reference(id, Path.GetFullPath(entry, folder), inline);
            })
            .ToList();
    }

    private static ImageReference Reference(string id, string path, bool inline) => inline
        ? new ImageReference { Id = id, Base64 = Convert.ToBase64String(File.ReadAllBytes(path)) }
        : new ImageReference { Id = id, Uri = path };

    /// <summary>One job: publish it in parts, and optionally follow its events until it completes.</summary>
    private sealed class Submission(Guid jobId, List<ImageReference> references, string? modelVersion)
    {
        private readonly TaskCompletionSource<ScoringJobCompleted> _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Lock _print = new();
        private TextWriter _output = TextWriter.Null;

        public async Task<int> RunAsync(RabbitMqOptions broker, bool wait, TimeSpan timeout, TextWriter output, TextWriter error, CancellationToken cancellationToken)
        {
            _output = output;
            IBusControl bus = Bus.Factory.CreateUsingRabbitMq(rabbit =>
            {
                rabbit.Host(broker);
                if (wait)
                {
                    // A temporary, auto-deleted queue bound to the event exchanges, set up before anything is published.
                    rabbit.ReceiveEndpoint(endpoint =>
                    {
                        endpoint.Handler<ImageScored>(c => Print(c.Message));
                        endpoint.Handler<ImageScoringFailed>(c => Print(c.Message));
                        endpoint.Handler<ScoringJobCompleted>(c => Complete(c.Message));
                    });
                }
            });
            try
            {
                using var startTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                startTimeout.CancelAfter(TimeSpan.FromSeconds(30));
                await bus.StartAsync(startTimeout.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or RabbitMqConnectionException && !cancellationToken.IsCancellationRequested)
            {
                await error.WriteLineAsync($"Cannot reach RabbitMQ at {new Uri(broker.Uri).Host}:{new Uri(broker.Uri).Port}: {e.Message}");
                return ExitCodes.Failure;
            }

            try
            {
                int parts = (references.Count + ImagesPerMessage - 1) / ImagesPerMessage;
                for (int part = 0; part < parts; part++)
                {
                    await bus.Publish(new ScoreImages
                    {
                        JobId = jobId,
                        Images = references.Skip(part * ImagesPerMessage).Take(ImagesPerMessage).ToList(),
                        TotalImages = parts > 1 ? references.Count : null,
                        ModelVersion = modelVersion,
                    }, cancellationToken);
                }

                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"Submitted job {jobId}: {references.Count} images in {parts} message(s)."));
                if (!wait)
                {
                    return ExitCodes.Success;
                }

                ScoringJobCompleted summary;
                try
                {
                    summary = await _completed.Task.WaitAsync(timeout, cancellationToken);
                }
                catch (TimeoutException)
                {
                    await error.WriteLineAsync($"Job {jobId} did not complete within {timeout.TotalSeconds:0} s; `metaqap jobs {jobId}` shows where it is.");
                    return ExitCodes.Failure;
                }

                lock (_print)
                {
                    WriteSummary(output, summary);
                }

                return ExitCodes.Success;
            }
            finally
            {
                await bus.StopAsync(CancellationToken.None);
            }
        }

        private Task Print(ImageScored e)
        {
            if (e.JobId == jobId)
            {
                lock (_print)
                {
                    _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{e.ImageId}\t{e.Score:F2}\t±{e.Uncertainty:F2}"));
                }
            }

            return Task.CompletedTask;
        }

        private Task Print(ImageScoringFailed e)
        {
            if (e.JobId == jobId)
            {
                lock (_print)
                {
                    _output.WriteLine($"{e.ImageId}\tfailed\t{e.Code}\t{e.Detail}");
                }
            }

            return Task.CompletedTask;
        }

        private Task Complete(ScoringJobCompleted e)
        {
            if (e.JobId == jobId)
            {
                _completed.TrySetResult(e);
            }

            return Task.CompletedTask;
        }

        private static void WriteSummary(TextWriter output, ScoringJobCompleted s)
        {
            string failures = s.FailuresByCode.Count == 0
                ? ""
                : $" ({string.Join(", ", s.FailuresByCode.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key} {f.Value}"))})";
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Job {s.JobId} completed in {(s.CompletedAt - s.CreatedAt).TotalSeconds:F1} s: {s.TotalImages} images, {s.ScoredImages} scored, {s.FailedImages} failed{failures}."));
            if (s.Scores is { } d)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"Scores ({s.ModelVersion}): mean {d.Mean:F2}  min {d.Min:F2}  p10 {d.P10:F2}  p25 {d.P25:F2}  median {d.Median:F2}  p75 {d.P75:F2}  p90 {d.P90:F2}  max {d.Max:F2}"));
            }
        }
    }
}
