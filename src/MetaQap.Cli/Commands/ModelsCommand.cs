using System.CommandLine;
using System.Globalization;
using MetaQap.Cli.Terminal;
using MetaQap.Components.Registry;
using Npgsql;

namespace MetaQap.Cli.Commands;

/// <summary>
/// <c>metaqap models [--limit N]</c>: the model registry: base-model artifacts and ensembles, newest first, the
/// active ensemble marked with <c>*</c>.
/// </summary>
internal static class ModelsCommand
{
    // Enough to tell two files apart at a glance; `metaqap runs ID` and the registry hold the full digest.
    private const int ShaPrefix = 12;

    public static Command Create()
    {
        var limit = new Option<int>("--limit") { Description = "How many of the newest base models and of the newest ensembles to list.", DefaultValueFactory = _ => 20 };
        var database = new DatabaseCliOption();
        var command = new Command("models", "List the registered base models and ensembles; * marks the active ensemble.") { limit };
        database.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            TextWriter output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(limit) < 1)
            {
                return ExitCodes.Usage(parse, "--limit must be at least 1.");
            }

            await using NpgsqlDataSource? dataSource = database.Open(parse);
            if (dataSource is null)
            {
                return ExitCodes.UsageError;
            }

            var registry = new ModelRegistry(dataSource);
            IReadOnlyList<ModelArtifactRecord> artifacts;
            IReadOnlyList<EnsembleRecord> ensembles;
            EnsembleRecord? active;
            try
            {
                artifacts = await registry.ListArtifactsAsync(parse.GetValue(limit), cancellationToken);
                ensembles = await registry.ListEnsemblesAsync(parse.GetValue(limit), cancellationToken);
                // Listed even when older than the newest --limit ensembles: it is the one the workers score with.
                active = await registry.GetActiveEnsembleAsync(cancellationToken);
            }
            catch (NpgsqlException e)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync(DatabaseCliOption.Explain(e));
                return ExitCodes.Failure;
            }

            await output.WriteLineAsync("Base models");
            WriteOrNone(output, artifacts.Count, ArtifactTable(artifacts), "  (none)");
            await output.WriteLineAsync();
            await output.WriteLineAsync("Ensembles");
            if (active is not null && ensembles.All(e => e.Id != active.Id))
            {
                ensembles = [active, .. ensembles];
            }

            WriteOrNone(output, ensembles.Count, EnsembleTable(ensembles), "  (none)");
            if (active is null)
            {
                await output.WriteLineAsync("No ensemble is active.");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static void WriteOrNone(TextWriter output, int count, TextTable table, string none)
    {
        if (count == 0)
        {
            output.WriteLine(none);
        }
        else
        {
            table.WriteTo(output);
        }
    }

    private static TextTable ArtifactTable(IEnumerable<ModelArtifactRecord> artifacts)
    {
        var table = new TextTable("ID", "KIND", "ARCH", "SIZE", "SHA256", "VAL SROCC", "CREATED");
        foreach (ModelArtifactRecord a in artifacts)
        {
            table.Add(a.Id.ToString(), a.Kind, a.Architecture, a.InputSize.ToString(CultureInfo.InvariantCulture),
                a.Sha256.Length > ShaPrefix ? a.Sha256[..ShaPrefix] : a.Sha256,
                MetricsFormat.Value(a.Metrics.TryGetValue("val_srocc", out double srocc) ? srocc : null), RunsCommand.Time(a.CreatedAt));
        }

        return table;
    }

    private static TextTable EnsembleTable(IEnumerable<EnsembleRecord> ensembles)
    {
        var table = new TextTable("", "ID", "VERSION", "METHOD", "BASE MODELS", "METRICS", "CREATED", "PROMOTED");
        foreach (EnsembleRecord e in ensembles)
        {
            table.Add(e.Active ? "*" : "", e.Id.ToString(), e.Version, e.Method, string.Join(',', e.BaseModels),
                MetricsFormat.Inline(e.Metrics), RunsCommand.Time(e.CreatedAt), RunsCommand.Time(e.PromotedAt));
        }

        return table;
    }
}
