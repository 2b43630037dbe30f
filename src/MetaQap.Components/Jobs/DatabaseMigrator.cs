using DbUp;
using DbUp.Engine;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MetaQap.Components.Jobs;

/// <summary>
/// Applies the embedded SQL scripts (Jobs/Migrations/*.sql, in name order, each once) before anything else
/// starts. Replicas starting together take turns on a PostgreSQL advisory lock, so a script never runs twice.
/// </summary>
internal sealed class DatabaseMigrator(NpgsqlDataSource dataSource, IOptions<DatabaseOptions> options,
    ILogger<DatabaseMigrator> logger) : IHostedService
{
    // Any constant shared by all replicas; "MQAPMIGR" as ASCII.
    private const long AdvisoryLockKey = 0x4D51_4150_4D49_4752;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using NpgsqlConnection connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (var acquire = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", connection))
        {
            acquire.Parameters.AddWithValue("key", AdvisoryLockKey);
            await acquire.ExecuteNonQueryAsync(cancellationToken);
        }

        try
        {
            UpgradeEngine engine = DeployChanges.To
                .PostgresqlDatabase(options.Value.ConnectionString)
                .WithScriptsEmbeddedInAssembly(typeof(DatabaseMigrator).Assembly,
                    name => name.Contains(".Jobs.Migrations.", StringComparison.Ordinal))
                .WithTransactionPerScript()
                .LogTo(new DbUpLog(logger))
                .Build();
            DatabaseUpgradeResult result = engine.PerformUpgrade();
            if (!result.Successful)
            {
                throw new InvalidOperationException(
                    $"Database migration {result.ErrorScript?.Name ?? "(unknown script)"} failed: {result.Error?.Message}",
                    result.Error);
            }
        }
        finally
        {
            await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", connection);
            release.Parameters.AddWithValue("key", AdvisoryLockKey);
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
