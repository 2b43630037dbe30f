using System.CommandLine;
using Npgsql;

namespace MetaQap.Cli.Commands;

/// <summary>--database for the commands that read the registry, defaulting to the worker's own setting.</summary>
internal sealed class DatabaseCliOption
{
    // No DefaultValueFactory: help would print the default, and the connection string holds a password.
    private readonly Option<string?> _database = new("--database")
    {
        Description = "Npgsql connection string (default: $MetaQap__Database__ConnectionString, which deploy/local/env.sh sets).",
    };

    public void AddTo(Command command) => command.Options.Add(_database);

    /// <summary>The data source, or null (with the error written) when no usable connection string was given.</summary>
    public NpgsqlDataSource? Open(ParseResult parse)
    {
        string connectionString = parse.GetValue(_database) ?? Environment.GetEnvironmentVariable("MetaQap__Database__ConnectionString") ?? "";
        if (connectionString.Length == 0)
        {
            parse.InvocationConfiguration.Error.WriteLine("No database: pass --database or set MetaQap__Database__ConnectionString.");
            return null;
        }

        try
        {
            return NpgsqlDataSource.Create(connectionString);
        }
        catch (ArgumentException e)
        {
            parse.InvocationConfiguration.Error.WriteLine($"Bad --database connection string: {e.Message}");
            return null;
        }
    }

    /// <summary>
    /// What to say when the registry cannot be read; a missing table means no worker with the training registry's
    /// migration has started against this database yet.
    /// </summary>
    public static string Explain(NpgsqlException e) => e is PostgresException { SqlState: PostgresErrorCodes.UndefinedTable }
        ? $"Cannot read the registry: {e.Message} (start a worker once against this database: it creates the tables)."
        : $"Cannot read the registry: {e.Message}";
}
