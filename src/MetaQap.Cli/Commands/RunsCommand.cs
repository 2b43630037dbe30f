using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using MetaQap.Cli.Terminal;
using MetaQap.Components.Training;
using Npgsql;

namespace MetaQap.Cli.Commands;

/// <summary>
/// <c>metaqap runs [RUN_ID] [--limit N]</c>: the newest training runs as a table, or one run in detail (its request,
/// progress, metrics and failure) from the training registry in PostgreSQL.
/// </summary>
internal static class RunsCommand
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static Command Create()
    {
        var id = new Argument<Guid?>("run-id") { Description = "Show this run in detail.", Arity = ArgumentArity.ZeroOrOne };
        var limit = new Option<int>("--limit") { Description = "How many of the newest runs to list.", DefaultValueFactory = _ => 20 };
        var database = new DatabaseCliOption();
        var command = new Command("runs", "List training runs, newest first, or show one.") { id, limit };
        database.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            TextWriter output = parse.InvocationConfiguration.Output;
            TextWriter error = parse.InvocationConfiguration.Error;
            if (parse.GetValue(limit) < 1)
            {
                return ExitCodes.Usage(parse, "--limit must be at least 1.");
            }

            await using NpgsqlDataSource? dataSource = database.Open(parse);
            if (dataSource is null)
            {
                return ExitCodes.UsageError;
            }

            var registry = new TrainingRegistry(dataSource);
            try
            {
                if (parse.GetValue(id) is { } runId)
                {
                    if (await registry.GetAsync(runId, cancellationToken) is not { } run)
                    {
                        await error.WriteLineAsync($"No run {runId}.");
                        return ExitCodes.Failure;
                    }

                    await output.WriteAsync(Describe(run));
                    return ExitCodes.Success;
                }

                IReadOnlyList<TrainingRunRecord> runs = await registry.ListAsync(parse.GetValue(limit), cancellationToken);
                if (runs.Count == 0)
                {
                    await output.WriteLineAsync("No training runs.");
                    return ExitCodes.Success;
                }

                Table(runs).WriteTo(output);
                return ExitCodes.Success;
            }
            catch (NpgsqlException e)
            {
                await error.WriteLineAsync(DatabaseCliOption.Explain(e));
                return ExitCodes.Failure;
            }
        });
        return command;
    }

    private static TextTable Table(IEnumerable<TrainingRunRecord> runs)
    {
        var table = new TextTable("ID", "KIND", "STATUS", "PROGRESS", "EPOCH", "VAL SROCC", "ATTEMPTS", "CREATED", "UPDATED", "FAILURE");
        foreach (TrainingRunRecord r in runs)
        {
            table.Add(r.Id.ToString(), r.Kind.ToString(), Status(r), Percent(r.Progress), Epoch(r),
                MetricsFormat.Value(r.ValidationSrocc), r.Attempts.ToString(CultureInfo.InvariantCulture),
                Time(r.CreatedAt), Time(r.UpdatedAt), r.FailureCode?.ToString() ?? "-");
        }

        return table;
    }

    private static string Describe(TrainingRunRecord r)
    {
        var text = new System.Text.StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Run {r.Id}: {Status(r)} ({r.Kind})");
        text.AppendLine(CultureInfo.InvariantCulture, $"  progress: {Percent(r.Progress)}, epoch {Epoch(r)}, step {r.Step?.ToString(CultureInfo.InvariantCulture) ?? "-"}/{r.StepsPerEpoch?.ToString(CultureInfo.InvariantCulture) ?? "-"}, loss {MetricsFormat.Value(r.Loss)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  validation: SROCC {MetricsFormat.Value(r.ValidationSrocc)}, PLCC {MetricsFormat.Value(r.ValidationPlcc)}");
        string resumed = r.Attempts > 1 ? " (resumed after an interruption)" : "";
        text.AppendLine(CultureInfo.InvariantCulture, $"  attempts: {r.Attempts}{resumed}; worker: {r.Owner ?? "-"}");
        text.AppendLine(CultureInfo.InvariantCulture,
            $"  created {Time(r.CreatedAt)}, started {Time(r.StartedAt)}, updated {Time(r.UpdatedAt)}, finished {Time(r.FinishedAt)}");
        if (r.Metrics.Count > 0)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  metrics: {MetricsFormat.Inline(r.Metrics)}");
        }

        if (r.FailureCode is { } code)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  failure: {code}: {r.FailureMessage}");
        }

        text.AppendLine("  request:");
        foreach (string line in PrettyJson(r.Request).Split('\n'))
        {
            text.Append("    ").AppendLine(line.TrimEnd('\r'));
        }

        return text.ToString();
    }

    private static string PrettyJson(string json)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        return JsonSerializer.Serialize(document.RootElement, Indented);
    }

    /// <summary>The stored status, and a pending cancel, which the status alone does not show until the worker stops.</summary>
    private static string Status(TrainingRunRecord r) =>
        r.CancelRequested && !r.IsFinished ? $"{r.Status} (cancelling)" : r.Status.ToString();

    private static string Percent(double progress) => string.Create(CultureInfo.InvariantCulture, $"{progress * 100:F1} %");

    private static string Epoch(TrainingRunRecord r) => r.Epoch is { } e
        ? string.Create(CultureInfo.InvariantCulture, $"{e}/{r.Epochs?.ToString(CultureInfo.InvariantCulture) ?? "?"}")
        : "-";

    internal static string Time(DateTimeOffset? at) => at?.UtcDateTime.ToString("u", CultureInfo.InvariantCulture) ?? "-";
}
